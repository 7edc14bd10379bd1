package dev.retort.cli.commands;

import ai.djl.ndarray.NDManager;
import dev.retort.cli.ExitCodes;
import dev.retort.cli.ModelLocator;
import dev.retort.core.RetortException;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.StateDicts;
import dev.retort.core.run.EfficientBertDirectory;
import dev.retort.core.run.EfficientBertStudent;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelDirectory;
import dev.retort.core.train.Checkpoint;
import dev.retort.core.train.CheckpointIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retort export SOURCE OUT_DIR}: writes a Hugging Face model directory. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a Hugging Face model directory from a run, a model directory or a checkpoint.",
      "",
      "The directory (config.json, model.safetensors, vocab.txt, tokenizer files) loads in"
          + " transformers as BertForSequenceClassification; an EfficientBERT student's directory"
          + " carries its model code and loads with trust_remote_code=True. SOURCE is a run"
          + " directory (its best student), a model directory, or a resumable checkpoint file of a"
          + " run (.../checkpoints/step-N.safetensors)."
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SOURCE",
      description = "A run directory, a model directory or a checkpoint file.")
  private String source;

  @Parameters(
      index = "1",
      paramLabel = "OUT_DIR",
      description = "Where to write the model (created; must be empty or a model directory).")
  private Path outDir;

  /** {@inheritDoc} */
  @Override
  public Integer call() throws IOException {
    checkTarget(outDir);
    // A checkpoint file holds weights only; its phase's best directory has the rest.
    Path checkpoint = Files.isRegularFile(Path.of(source)) ? Path.of(source) : null;
    try (NDManager manager = NDManager.newBaseManager()) {
      Path dir = checkpoint != null ? bestNextTo(checkpoint) : ModelLocator.modelDirectory(source, "SOURCE");
      if (EfficientBertDirectory.isEfficientBertDirectory(dir)) {
        return exportEfficientBert(dir, checkpoint, manager);
      }
      LoadedModel model =
          checkpoint != null ? fromCheckpoint(checkpoint, dir, manager) : ModelDirectory.read(dir, manager);
      Optional<String> caveat = ModelDirectory.export(outDir, model);
      spec.commandLine()
          .getOut()
          .println("Exported " + model.source() + " to " + outDir.toAbsolutePath().normalize());
      caveat.ifPresent(c -> spec.commandLine().getOut().println("Note: " + c));
    }
    return ExitCodes.OK;
  }

  /**
   * Returns the best directory of the phase a resumable checkpoint belongs to: a checkpoint holds
   * weights only, the config and tokenizer come from there.
   */
  private static Path bestNextTo(Path file) {
    Path best = file.toAbsolutePath().getParent().resolveSibling("best");
    if (!file.getFileName().toString().endsWith(".safetensors") || !ModelLocator.holdsModel(best)) {
      throw new RetortException(
          "SOURCE " + file,
          "not a checkpoint of a run (expected <phase>/checkpoints/step-N.safetensors next to"
              + " <phase>/best)",
          "Name a run directory, a model directory or a checkpoint file inside a run");
    }
    return best;
  }

  /**
   * Copies an EfficientBERT student (with a checkpoint's weights, if one is given): its directory
   * is already what transformers loads, with the model code it carries.
   */
  private int exportEfficientBert(Path dir, Path checkpoint, NDManager manager) throws IOException {
    EfficientBertStudent s = EfficientBertDirectory.read(dir, manager);
    String from = dir.toString();
    if (checkpoint != null) {
      Checkpoint c = CheckpointIo.read(checkpoint);
      StateDicts.load(s.model(), c.model(), manager, LoadPolicy.STRICT);
      from = checkpoint.toAbsolutePath() + " (step " + c.state().step() + ")";
    }
    EfficientBertDirectory.write(outDir, s);
    var out = spec.commandLine().getOut();
    out.println("Exported the EfficientBERT student " + from + " to " + outDir.toAbsolutePath().normalize());
    out.println(
        "Note: transformers has no EfficientBERT; the directory carries its model code, so load it"
            + " with trust_remote_code=True");
    return ExitCodes.OK;
  }

  private static LoadedModel fromCheckpoint(Path file, Path best, NDManager manager) {
    Checkpoint c = CheckpointIo.read(file);
    LoadedModel template = ModelDirectory.read(best, manager);
    StateDicts.load(template.model(), c.model(), manager, LoadPolicy.STRICT);
    return new LoadedModel(
        template.model(),
        template.tokenizerFiles(),
        template.labels(),
        file.toAbsolutePath() + " (step " + c.state().step() + ")",
        template.report());
  }

  private static void checkTarget(Path dir) throws IOException {
    if (!Files.isDirectory(dir) || ModelLocator.holdsModel(dir)) {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new RetortException("OUT_DIR " + dir, "is a file", "Name a new or empty directory");
      }
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isPresent()) {
        throw new RetortException(
            "OUT_DIR " + dir,
            "is not empty and holds no model",
            "Name a new or empty directory, or an earlier export to replace");
      }
    }
  }
}

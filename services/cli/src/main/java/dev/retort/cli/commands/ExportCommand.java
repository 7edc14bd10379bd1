package dev.retort.cli.commands;

import ai.djl.ndarray.NDManager;
import dev.retort.cli.ExitCodes;
import dev.retort.cli.ModelLocator;
import dev.retort.core.RetortException;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.StateDicts;
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
          + " transformers as BertForSequenceClassification. SOURCE is a run directory (its best"
          + " student), a model directory, or a resumable checkpoint file of a run"
          + " (.../checkpoints/step-N.safetensors)."
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
    Path file = Path.of(source);
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel model =
          Files.isRegularFile(file)
              ? fromCheckpoint(file, manager)
              : ModelDirectory.read(ModelLocator.modelDirectory(source, "SOURCE"), manager);
      Optional<String> caveat = ModelDirectory.export(outDir, model);
      spec.commandLine()
          .getOut()
          .println("Exported " + model.source() + " to " + outDir.toAbsolutePath().normalize());
      caveat.ifPresent(c -> spec.commandLine().getOut().println("Note: " + c));
    }
    return ExitCodes.OK;
  }

  /**
   * A resumable checkpoint holds weights only: the config and tokenizer come from the phase's best
   * directory.
   */
  private static LoadedModel fromCheckpoint(Path file, NDManager manager) {
    Path best = file.toAbsolutePath().getParent().resolveSibling("best");
    if (!file.getFileName().toString().endsWith(".safetensors")
        || !ModelDirectory.isModelDirectory(best)) {
      throw new RetortException(
          "SOURCE " + file,
          "not a checkpoint of a run (expected <phase>/checkpoints/step-N.safetensors next to"
              + " <phase>/best)",
          "Name a run directory, a model directory or a checkpoint file inside a run");
    }
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
    if (!Files.isDirectory(dir) || ModelDirectory.isModelDirectory(dir)) {
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

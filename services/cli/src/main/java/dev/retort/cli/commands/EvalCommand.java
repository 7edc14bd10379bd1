package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.Formats;
import dev.retort.cli.JobFiles;
import dev.retort.cli.ModelEvaluation;
import dev.retort.cli.ModelLocator;
import dev.retort.cli.TextTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retort eval MODEL --job JOB.yaml}: scores a model on a job's task. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluates a model on a job's task: every metric, the parameter count and the CPU latency.")
public final class EvalCommand implements Callable<Integer> {
  /** The splits one can score. */
  enum Split {
    dev,
    test
  }

  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "MODEL",
      description =
          "A model directory, a run directory (its best student), checkpoint:DIR, or a model"
              + " reference such as all-minilm-l6-v2 (its classifier is then untrained).")
  private String model;

  @Option(
      names = "--job",
      required = true,
      paramLabel = "JOB.yaml",
      description = "The job whose task (data, max length) is used.")
  private Path jobFile;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      defaultValue = "dev",
      description = "dev or test (default: ${DEFAULT-VALUE}).")
  private Split split;

  /** {@inheritDoc} */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    var job = JobFiles.parse(jobFile);
    ModelEvaluation.Result r =
        ModelEvaluation.evaluate(ModelLocator.reference(model, "MODEL"), job, split.name());
    out.println(
        "Model " + r.source() + " on the " + r.split() + " split (" + r.examples() + " examples)");
    if (r.untrainedHead()) {
      out.println(
          "Note: the classifier head is freshly initialised, so these scores are near chance.");
    }
    TextTable t = new TextTable("metric", r.split()).rightAligned(1);
    r.metrics()
        .byKey()
        .forEach(
            (k, v) ->
                t.row(
                    k + (k.equals(r.metrics().selectBy().key()) ? " (selection)" : ""),
                    Formats.metric(v)));
    t.row("parameters", Formats.parameters(r.parameters()));
    t.row("CPU latency (ms, batch 1)", Formats.millis(r.latencyMs()));
    out.print(t.render());
    return ExitCodes.OK;
  }
}

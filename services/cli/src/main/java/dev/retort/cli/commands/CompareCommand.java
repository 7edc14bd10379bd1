package dev.retort.cli.commands;

import dev.retort.cli.ComparisonReport;
import dev.retort.cli.ExitCodes;
import dev.retort.cli.JobFiles;
import dev.retort.cli.MethodComparison;
import dev.retort.cli.MethodComparison.Status;
import dev.retort.cli.ProgressListener;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.run.RunLog;
import dev.retort.core.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retort compare JOB.yaml --methods ...}: one teacher, several methods, one table. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a job with several distillation methods and tabulates the results.",
      "",
      "Every method distils from the same teacher with the same seed, student and data. The"
          + " teacher is fine-tuned once (if teacher.finetune is true) in <output>/teacher; each"
          + " method runs in <output>/<method> and resumes there. The table is also written to"
          + " <output>/compare.md and compare.json."
    })
public final class CompareCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "JOB.yaml",
      description = "The job file; its distill.method is replaced by each method.")
  private Path jobFile;

  @Option(
      names = "--methods",
      split = ",",
      paramLabel = "M",
      defaultValue = "none,logits-kd,tinybert,pkd,bert-emd",
      description =
          "Comma-separated methods (default: ${DEFAULT-VALUE}); hrkd and multi-domain-kd need"
              + " multi-domain data.")
  private List<String> methods;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "The comparison directory (default: runs/<name>-compare).")
  private Path output;

  /** {@inheritDoc} */
  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MethodComparison.checkMethods(methods);
    ConfigValues job = JobFiles.parse(jobFile);
    String name = JobFiles.name(job, jobFile);
    Path dir = output != null ? output : Path.of("runs", name + "-compare");
    boolean bars = ProgressListener.interactive();
    MethodComparison comparison =
        new MethodComparison(
            (label, run) -> {
              run.resumeLines().forEach(l -> err.println(label + ": " + l));
              return List.<TrainingListener>of(
                  new ProgressListener(err, bars, label, run.resumeSteps()),
                  new RunLog(run.dir().resolve("events.jsonl")));
            });
    MethodComparison.Outcome outcome = comparison.run(job, name, methods, dir);
    ComparisonReport report = new ComparisonReport(outcome);
    report.write(dir);
    out.println();
    out.print(report.table().render());
    String notes = report.notes();
    if (!notes.isEmpty()) {
      out.println();
      out.print(notes);
    }
    out.println();
    out.println("Written: " + dir.resolve("compare.md") + " and compare.json");
    boolean bad = outcome.rows().stream().anyMatch(r -> r.status() == Status.BAD_INPUT);
    boolean failed = outcome.rows().stream().anyMatch(r -> r.status() == Status.FAILED);
    return failed ? ExitCodes.FAILURE : bad ? ExitCodes.BAD_INPUT : ExitCodes.OK;
  }
}

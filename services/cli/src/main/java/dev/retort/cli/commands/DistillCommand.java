package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.JobFiles;
import dev.retort.cli.RunDirectory;
import dev.retort.cli.ScoreTables;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.run.JobResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code retort distill JOB.yaml}: runs a whole job in this process and prints teacher vs student.
 */
@Command(
    name = "distill",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a job: optional teacher fine-tuning, distillation, evaluation and export.",
      "",
      "Running it again resumes from the newest checkpoint of each phase; --fresh starts over."
    })
public final class DistillCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "JOB.yaml", description = "The job file (see 'retort job-reference').")
  private Path jobFile;

  @Mixin private RunNamingMixin naming;

  @Option(names = "--fresh", description = "Delete the run directory first instead of resuming.")
  private boolean fresh;

  /** {@inheritDoc} */
  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigValues parsed = JobFiles.parse(jobFile);
    String jobName = naming.jobName(parsed, jobFile);
    ConfigValues job = naming.withOutput(parsed);
    RunDirectory run = RunDirectory.of(job, jobName);
    if (fresh) {
      run.deleteForFreshStart();
    } else {
      run.resumeLines().forEach(err::println);
    }
    JobResult result = run.runHere(err, runner -> runner.run(job, jobName));
    out.println();
    out.println(
        "Job "
            + jobName
            + ": "
            + result.method()
            + ", "
            + result.teacher().metric()
            + " selects the best model");
    out.print(ScoreTables.comparison(result).render());
    out.println();
    out.println("Run directory: " + result.runDir());
    out.println(
        "Student model: "
            + (result.export() != null
                ? result.export()
                    + (dev.retort.core.run.EfficientBertDirectory.isEfficientBertDirectory(result.export())
                        ? " (EfficientBERT directory: transformers loads it with trust_remote_code=True)"
                        : " (Hugging Face directory)")
                : result.runDir().resolve("student/best")));
    return ExitCodes.OK;
  }
}

package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.Formats;
import dev.retort.cli.JobFiles;
import dev.retort.cli.RunDirectory;
import dev.retort.cli.ScoreTables;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.run.TeacherResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retort finetune JOB.yaml}: fine-tunes and scores only the job's teacher. */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    description = {
      "Fine-tunes only the teacher of a job and evaluates it.",
      "",
      "It fine-tunes whatever teacher.finetune says. Use the printed directory as teacher.model:"
          + " checkpoint:DIR with teacher.finetune: false."
    })
public final class FineTuneCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "JOB.yaml", description = "The job file.")
  private Path jobFile;

  @Mixin private RunNamingMixin naming;

  /** {@inheritDoc} */
  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigValues parsed = JobFiles.parse(jobFile);
    String jobName = naming.jobName(parsed, jobFile);
    ConfigValues job = naming.withOutput(JobFiles.withOverrides(parsed, Map.of("teacher.finetune", true)));
    RunDirectory run = RunDirectory.of(job, jobName);
    run.resumeLines().forEach(err::println);
    TeacherResult result = run.runHere(err, runner -> runner.fineTuneTeacherOnly(job, jobName));
    out.println();
    out.println("Teacher " + job.str("teacher.model") + " fine-tuned on " + jobName);
    out.print(ScoreTables.metrics(result.score()).render());
    out.println(
        "parameters: "
            + Formats.parameters(result.score().parameters())
            + ", CPU latency "
            + Formats.millis(result.score().latencyMs())
            + " ms (batch 1)");
    out.println("Best teacher: " + result.bestDir());
    out.println(
        "Distil from it with   teacher.model: checkpoint:"
            + result.bestDir()
            + "   and   teacher.finetune: false");
    return ExitCodes.OK;
  }
}

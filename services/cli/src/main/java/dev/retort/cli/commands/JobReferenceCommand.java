package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.core.job.JobReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code retort job-reference}: prints the job-file reference (services/core/JOB-FILE.md). */
@Command(
    name = "job-reference",
    mixinStandardHelpOptions = true,
    description =
        "Prints the reference of every job-file key (Markdown), generated from the schema the"
            + " parser checks.")
public final class JobReferenceCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  /** {@inheritDoc} */
  @Override
  public Integer call() {
    spec.commandLine().getOut().print(JobReference.markdown());
    return ExitCodes.OK;
  }
}

package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.platform.PlatformClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retort cancel ID}: stops a job at its next step; its last checkpoint is kept. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a job: it stops within one step and keeps its last checkpoint.")
public final class CancelCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private PlatformOptionsMixin where;

  @Parameters(paramLabel = "ID", description = "The job id.")
  private String id;

  @Option(names = "--reason", defaultValue = "cancelled by the user", description = "Recorded with the command.")
  private String reason;

  @Override
  public Integer call() {
    try (PlatformClient client = PlatformClient.connect(where.bootstrap, where.stateDir())) {
      client.cancel(id, reason);
      spec.commandLine().getOut().println("Asked job " + id + " to stop.");
    }
    return ExitCodes.OK;
  }
}

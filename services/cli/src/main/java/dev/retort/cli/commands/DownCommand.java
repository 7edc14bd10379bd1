package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.stack.LocalStack;
import dev.retort.stack.StackEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code retort down}: stops everything {@code retort up} started. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stops the local platform started by 'retort up'.")
public final class DownCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private StateDirMixin where;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<StackEntry> stopped = new LocalStack(where.stateDir()).stopAll();
    if (stopped.isEmpty()) {
      out.println("Nothing was running.");
    }
    stopped.forEach(e -> out.println("stopped " + e.name() + " (pid " + e.pid() + ")"));
    return ExitCodes.OK;
  }
}

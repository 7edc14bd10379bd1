package dev.retort.cli.commands;

import dev.retort.cli.platform.Home;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the local platform keeps its logs, broker data and process table. */
public final class StateDirMixin {
  @Option(
      names = "--state",
      paramLabel = "DIR",
      description = "State directory of the local platform (default: <repo>/.retort/stack).")
  Path state;

  /** Returns the state directory. */
  Path stateDir() {
    return state != null ? state : Home.stateDir();
  }
}

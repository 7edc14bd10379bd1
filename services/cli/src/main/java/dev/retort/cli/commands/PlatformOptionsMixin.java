package dev.retort.cli.commands;

import dev.retort.cli.platform.Home;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the platform commands find the platform. */
public final class PlatformOptionsMixin {
  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers of a running retort platform (default: RETORT_KAFKA_BOOTSTRAP, else the local platform of 'retort up').")
  String bootstrap;

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

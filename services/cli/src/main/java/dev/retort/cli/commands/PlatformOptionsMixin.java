package dev.retort.cli.commands;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the platform commands find the platform: a broker to talk to, or the local platform. */
public final class PlatformOptionsMixin {
  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers of a running retort platform (default: RETORT_KAFKA_BOOTSTRAP, else the local platform of 'retort up').")
  String bootstrap;

  @Mixin StateDirMixin state;

  /** Returns the state directory. */
  Path stateDir() {
    return state.stateDir();
  }
}

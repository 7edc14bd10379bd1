package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.platform.Home;
import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code retort up}: starts Kafka and the four services on this machine and returns. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the local platform in the background: a Kafka broker and the four services.",
      "",
      "The broker runs from its Maven jars on 127.0.0.1; the teacher, trainer, loss and evaluator"
          + " services run as separate processes, each logging to <state>/logs. Stop them with"
          + " 'retort down'."
    })
public final class UpCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private PlatformSizingMixin sizing;
  @Mixin private StateDirMixin where;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path root = Home.root();
    PlatformOptions options = sizing.apply(PlatformOptions.defaults(root, List.of(root, Path.of("").toAbsolutePath()))
        .withDirs(where.stateDir(), LocalPlatform.artifactsBeside(where.stateDir())));
    out.println("Starting Kafka and the services (logs in " + options.stateDir().resolve("logs") + ")...");
    LocalPlatform p = LocalPlatform.start(options);
    out.println("Kafka: " + p.bootstrap());
    p.ports().forEach((s, port) -> out.printf("%-10s http://127.0.0.1:%d/q/health/ready  /q/metrics%n", s, port));
    out.println("Artifacts: " + p.artifacts());
    out.println("Submit a job with 'retort submit JOB.yaml --follow'; stop with 'retort down'.");
    return ExitCodes.OK;
  }
}

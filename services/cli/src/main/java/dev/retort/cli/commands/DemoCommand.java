package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.JobFiles;
import dev.retort.cli.ProgressListener;
import dev.retort.cli.platform.Home;
import dev.retort.cli.platform.JobFollower;
import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.run.Methods;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import dev.retort.stack.RestartPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code retort demo}: the whole platform end to end on this machine. Starts Kafka and the four
 * services, submits the bundled demo job (fine-tune MiniLM on the sample data, distil a 2-layer
 * student with BERT-EMD), follows it, prints the teacher/student table and where the exported
 * student is, and stops everything.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a whole BERT-EMD distillation through Kafka and the four services on this machine.",
      "",
      "Starts a Kafka broker and the teacher, trainer, loss and evaluator services, runs the job"
          + " 'retort examples demo' on the bundled sample data through them, prints the result and"
          + " stops everything."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private PlatformSizingMixin sizing;

  @Option(names = "--keep", description = "Leave the platform running afterwards (stop it with 'retort down --state <dir>').")
  private boolean keep;

  @Option(names = "--job", paramLabel = "JOB.yaml", description = "Run this job instead of the bundled demo job.")
  private Path jobFile;

  @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "30", description = "Give up after this long (default ${DEFAULT-VALUE}).")
  private long timeoutMinutes;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long t0 = System.nanoTime();
    Path root = Home.root();
    Path demo = root.resolve(".retort").resolve("demo");
    ConfigValues job = jobFile != null ? JobFiles.parse(jobFile) : bundled();
    PlatformOptions options = sizing.apply(PlatformOptions.defaults(root, List.of(root, Path.of("").toAbsolutePath()))
        .withDirs(demo.resolve("stack"), demo.resolve("artifacts")));
    if (!job.isSet("task.dir") && "sample".equals(job.str("task.format"))) {
      // Inside the artifact store: every service (the evaluator too) reads the data from there.
      job = JobFiles.withOverrides(job, Map.of("task.dir", options.artifacts().resolve("data").resolve("sample").toString()));
    }
    err.println("Starting Kafka and the four services (logs in " + options.stateDir().resolve("logs") + ")...");
    LocalPlatform platform = LocalPlatform.start(options);
    if (!keep) {
      platform.stack().stopOnExit();
    }
    // While the demo runs, a service that dies comes back on its port, as a pod would.
    platform.stack().supervise(RestartPolicy.defaults());
    try (PlatformClient client = PlatformClient.connect(platform.bootstrap(), options.stateDir());
        var events = client.fromNow(Topics.JOB_EVENTS)) {
      err.printf("Platform up in %.0f s: Kafka %s, services %s%n", (System.nanoTime() - t0) / 1e9, platform.bootstrap(), platform.ports());
      String jobId = SubmitCommand.defaultId("demo");
      client.submit(jobId, job.explicitTree());
      err.println("Submitted job " + jobId + ": fine-tune the teacher, then distil the student with " + Methods.method(job));
      JobEvent end = new JobFollower(jobId, out, err, ProgressListener.interactive())
          .withArtifacts(platform.artifacts()).follow(events, Duration.ofMinutes(timeoutMinutes));
      out.printf("Demo took %.0f s.%n", (System.nanoTime() - t0) / 1e9);
      return SubmitCommand.exitCode(end, err, timeoutMinutes);
    } finally {
      if (!keep) {
        err.println("Stopping the platform...");
        platform.close();
      } else {
        err.println("The platform keeps running: retort down --state " + options.stateDir());
      }
    }
  }

  private static ConfigValues bundled() throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/jobs/demo.yaml")) {
      return JobFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo.yaml (bundled)");
    }
  }
}

package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.JobFiles;
import dev.retort.cli.ProgressListener;
import dev.retort.cli.platform.JobFollower;
import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.core.job.ConfigValues;
import dev.retort.messaging.Topics;
import dev.retort.messaging.TrainingRequests;
import dev.retort.proto.v1.JobEvent;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retort submit JOB.yaml}: publishes a training request; {@code --follow} shows it run. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes a job to retort.jobs.requests.v1 (key: the job id).",
      "",
      "The job file is checked here first, so a typo is reported before anything is sent."
    })
public final class SubmitCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private PlatformOptionsMixin where;

  @Parameters(paramLabel = "JOB.yaml", description = "The job file.")
  private Path jobFile;

  @Option(names = "--id", paramLabel = "ID", description = "The job id (default: the job's name plus a time stamp).")
  private String id;

  @Option(names = "--follow", description = "Show progress until the job ends, then the teacher/student table.")
  private boolean follow;

  @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "120", description = "How long --follow waits (default ${DEFAULT-VALUE}).")
  private long timeoutMinutes;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigValues job = JobFiles.parse(jobFile);
    String jobId = id != null ? id : defaultId(JobFiles.name(job, jobFile));
    TrainingRequests.checkJobId(jobId);
    try (PlatformClient client = PlatformClient.connect(where.bootstrap, where.stateDir())) {
      PlatformClient.TopicReader events = follow ? client.fromNow(Topics.JOB_EVENTS) : null;
      client.submit(jobId, job.explicitTree());
      out.println("Submitted job " + jobId + " to " + client.bootstrap());
      if (!follow) {
        out.println("Follow it with 'retort status " + jobId + "' or 'retort submit ... --follow'.");
        return ExitCodes.OK;
      }
      try (events) {
        JobFollower follower = new JobFollower(jobId, out, err, ProgressListener.interactive());
        if (client.local()) {
          // The store of 'retort up' is on this machine: show the export where it can be opened.
          follower.withArtifacts(LocalPlatform.artifactsBeside(where.stateDir()));
        }
        JobEvent end = follower.follow(events, Duration.ofMinutes(timeoutMinutes));
        return exitCode(end, err, timeoutMinutes);
      }
    }
  }

  static int exitCode(JobEvent end, PrintWriter err, long minutes) {
    if (end == null) {
      err.println("no end of the job within " + minutes + " minutes; it may still be running ('retort status')");
      return ExitCodes.FAILURE;
    }
    return switch (end.getKindCase()) {
      case FINISHED -> ExitCodes.OK;
      case REJECTED -> ExitCodes.BAD_INPUT;
      default -> ExitCodes.FAILURE;
    };
  }

  static String defaultId(String name) {
    String base = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
    if (base.isEmpty()) {
      base = "job";
    }
    String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(java.time.LocalDateTime.now());
    base = base.length() > 40 ? base.substring(0, 40) : base;
    return base + "-" + stamp;
  }
}

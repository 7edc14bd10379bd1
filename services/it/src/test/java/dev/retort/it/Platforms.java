package dev.retort.it;

import dev.retort.cli.platform.Home;
import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/** Helpers shared by the integration tests: starting a platform, tiny jobs, waiting for events. */
final class Platforms {
  private Platforms() {}

  static PlatformOptions options(String name) throws Exception {
    Path root = Home.root();
    Path dir = Files.createDirectories(root.resolve("services/it/target/platforms").resolve(name + "-" + System.nanoTime()));
    return PlatformOptions.defaults(root, List.of(root, dir))
        .withDirs(dir.resolve("stack"), dir.resolve("artifacts"));
  }

  /** A tiny BERT-EMD job on the sample data: teacher fine-tuned a few steps, tiny student. */
  static String tinyJob(Path data, String extra) {
    return """
        seed: 11
        task:
          format: sample
          dir: %s
          domains: [books, kitchen]
          sample-size: 96
          max-eval-examples: 32
          max-length: 32
        teacher:
          model: preset:tiny
          finetune: true
          training: {epochs: 1, batch-size: 16, lr: 1e-3, eval-every: 6, log-every: 3}
        student:
          preset: tiny
          layers: 1
          init: random
        distill:
          method: bert-emd
          training: {epochs: 1, batch-size: 16, lr: 1e-3, eval-every: 6, log-every: 2, checkpoint-every: 2}
        platform:
          teacher-dtype: fp32
          teacher-timeout-seconds: 120
          loss-timeout-seconds: 120
        %s
        """.formatted(data, extra);
  }

  /** Reads job events until one matches, from the start of the topic. */
  static JobEvent awaitEvent(PlatformClient client, String jobId, Predicate<JobEvent> match, Duration timeout) {
    ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
    List<JobEvent> seen = new ArrayList<>();
    try (var reader = client.fromStart(Topics.JOB_EVENTS)) {
      JobEvent[] found = new JobEvent[1];
      reader.read(r -> {
        if (jobId.equals(r.key())) {
          serde.decode(r.value()).toOptional().ifPresent(e -> {
            seen.add(e);
            if (found[0] == null && match.test(e)) {
              found[0] = e;
            }
          });
        }
      }, () -> found[0] != null, timeout);
      if (found[0] == null) {
        throw new AssertionError("no matching event for " + jobId + " within " + timeout + "; saw " + summary(seen));
      }
      return found[0];
    }
  }

  static JobEvent awaitEnd(PlatformClient client, String jobId, Duration timeout) {
    return awaitEvent(client, jobId, e -> e.hasFinished() || e.hasFailed() || e.hasRejected() || e.hasCancelled(), timeout);
  }

  /**
   * Waits for a job's end and fails unless it finished. The failure says how it ended and, for
   * each process of the platform, whether it still runs and its last warnings: all that CI prints
   * of a platform whose logs are gone with its machine.
   */
  static JobEvent awaitFinished(LocalPlatform platform, PlatformClient client, String jobId,
      Duration timeout) {
    JobEvent end;
    try {
      end = awaitEnd(client, jobId, timeout);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + processReport(platform), e);
    }
    if (!end.hasFinished()) {
      throw new AssertionError("job " + jobId + " ended with " + summary(List.of(end)) + "\n"
          + processReport(platform));
    }
    return end;
  }

  /** How many warnings of each process's log {@link #processReport} quotes. */
  private static final int REPORTED_WARNINGS = 3;

  /**
   * Returns one line per process of the platform (running, or gone) and its last warnings and
   * errors, leaving out DJL's note that no GPU was found.
   */
  static String processReport(LocalPlatform platform) {
    StringBuilder sb = new StringBuilder("the platform's processes:");
    for (var entry : platform.stack().state().entries()) {
      sb.append("\n  ").append(entry.name()).append(" (pid ").append(entry.pid()).append("): ")
          .append(entry.liveProcess().isPresent() ? "running" : "NOT RUNNING");
      Path log = Path.of(entry.logFile());
      try {
        List<String> warnings = Files.readAllLines(log).stream()
            .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"))
            .filter(l -> !l.contains("CudaUtils"))
            .toList();
        for (String w : warnings.subList(Math.max(0, warnings.size() - REPORTED_WARNINGS),
            warnings.size())) {
          sb.append("\n    ").append(w.length() > 240 ? w.substring(0, 240) + "..." : w);
        }
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        sb.append("\n    (cannot read ").append(log).append(": ").append(e.getMessage()).append(')');
      }
    }
    return sb.toString();
  }

  static String summary(List<JobEvent> events) {
    StringBuilder sb = new StringBuilder();
    for (JobEvent e : events) {
      sb.append(e.getKindCase());
      if (e.hasFailed()) {
        sb.append('(').append(e.getFailed().getReason()).append(')');
      }
      sb.append(' ');
    }
    return sb.toString();
  }

  static LocalPlatform start(PlatformOptions o) {
    return LocalPlatform.start(o);
  }

  /**
   * Waits until {@code members} trainer replicas hold partitions of the requests topic. A replica
   * is ready before its consumer has joined the group; until the group is balanced, the client's
   * least-loaded choice sees fewer replicas (or none, and the key hash decides), so a test of how
   * jobs spread over replicas must start from a balanced group.
   *
   * @param platform the platform
   * @param members how many replicas must own partitions
   * @param timeout how long to wait
   */
  static void awaitTrainerGroup(LocalPlatform platform, int members, Duration timeout) throws Exception {
    try (Admin admin = Admin.create(ClientConfigs.admin(platform.bootstrap(), java.util.Map.of()))) {
      long end = System.nanoTime() + timeout.toNanos();
      int owning = 0;
      while (System.nanoTime() < end) {
        try {
          ConsumerGroupDescription g =
              admin.describeConsumerGroups(List.of("retort-trainer")).all().get(5, TimeUnit.SECONDS).get("retort-trainer");
          owning = (int) g.members().stream()
              .filter(m -> m.assignment().topicPartitions().stream().anyMatch(tp -> tp.topic().equals(Topics.JOB_REQUESTS)))
              .count();
          if (owning >= members && g.groupState() == org.apache.kafka.common.GroupState.STABLE) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          // The group does not exist yet.
        }
        Thread.sleep(500);
      }
      throw new AssertionError(owning + " of " + members + " trainer replicas own request partitions after " + timeout);
    }
  }
}

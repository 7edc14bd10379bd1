package dev.retort.cli.platform;

import dev.retort.bench.platform.JobRun;
import dev.retort.bench.platform.PlatformHarness;
import dev.retort.bench.platform.ProcessCpu;
import dev.retort.bench.platform.Submission;
import dev.retort.core.io.AtomicFiles;
import dev.retort.core.job.ConfigValues;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import dev.retort.stack.ProcessKafkaBroker;
import dev.retort.stack.StackEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The platform of {@code retort bench}: a {@link LocalPlatform} of its own (broker and the four
 * services as processes, one or more trainer replicas, state and artifacts under the bench's work directory, so that no teacher
 * output of an earlier run is reused), started on first use, and a {@link PlatformClient} that
 * submits jobs and reads their events.
 */
public final class BenchPlatform implements PlatformHarness {
  private final ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
  private final PlatformOptions options;
  private final Path data;
  private LocalPlatform platform;

  /**
   * Creates the harness; nothing starts yet.
   *
   * @param repoRoot the repository (where the service jars are built)
   * @param workDir the bench's work directory
   * @param trainers trainer replicas (new jobs go to the least-loaded one)
   * @param threads libtorch threads per service, where they differ from the defaults
   * @param teacherWorkers requests the teacher computes at once; 0 for the default
   */
  public BenchPlatform(
      Path repoRoot, Path workDir, int trainers, Map<String, Integer> threads, int teacherWorkers) {
    this.data = workDir.resolve("platform-data");
    // With several trainer replicas, students that share a teacher pass train side by side (new
    // jobs go to the least-loaded replica); a job alone uses one of them.
    PlatformOptions o =
        PlatformOptions.defaults(repoRoot, List.of(data))
            .withReplicas("trainer", trainers)
            .withThreads(threads)
            .withDirs(
                workDir.resolve("platform").resolve("stack"),
                workDir.resolve("platform").resolve("artifacts-" + System.currentTimeMillis()));
    this.options = teacherWorkers > 0 ? o.withTeacherWorkers(teacherWorkers) : o;
  }

  /** {@inheritDoc} */
  @Override
  public Optional<String> unavailable() {
    List<String> missing =
        LocalPlatform.SERVICES.stream()
            .filter(s -> !Files.isRegularFile(options.serviceJar(s)))
            .toList();
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "services not built ("
            + String.join(", ", missing)
            + ": no "
            + options.repoRoot().relativize(options.serviceJar(missing.get(0)))
            + "; build with mvn -B -ntp install -DskipTests)");
  }

  /** {@inheritDoc} */
  @Override
  public Path dataDir() {
    return data;
  }

  /** {@inheritDoc} */
  @Override
  public Submission submitTogether(Map<String, ConfigValues> jobs, Duration timeout)
      throws Exception {
    if (platform == null) {
      Files.createDirectories(data);
      platform = LocalPlatform.start(options);
      // Ctrl-C (or SIGTERM) of a long bench must not leave the broker and services running.
      platform.stack().stopOnExit();
    }
    try (PlatformClient client = PlatformClient.connect(platform.bootstrap(), options.stateDir());
        PlatformClient.TopicReader events = client.fromNow(Topics.JOB_EVENTS)) {
      Map<String, ProcessHandle> processes = processes();
      Map<String, Double> cpuBefore = ProcessCpu.read(processes);
      long t0 = System.nanoTime();
      Map<String, Long> started = new HashMap<>();
      for (var e : jobs.entrySet()) {
        started.put(e.getKey(), System.nanoTime());
        client.submitNew(e.getKey(), e.getValue().explicitTree()); // ids carry a time stamp
      }
      Map<String, List<Double>> eps = new HashMap<>();
      Map<String, List<Map<String, Double>>> parts = new HashMap<>();
      Map<String, JobEvent> ends = new HashMap<>();
      Map<String, Long> endTimes = new HashMap<>();
      events.read(
          r -> {
            if (!jobs.containsKey(r.key())) {
              return;
            }
            var d = serde.decode(r.value());
            if (!d.isOk()) {
              return;
            }
            JobEvent e = d.value();
            switch (e.getKindCase()) {
              case PROGRESS -> {
                if ("distill".equals(e.getProgress().getPhase())) {
                  eps.computeIfAbsent(r.key(), k -> new ArrayList<>())
                      .add(e.getProgress().getExamplesPerSecond());
                  Map<String, Double> p = new HashMap<>(e.getProgress().getStepSecondsMap());
                  p.put(JobRun.STEP, e.getProgress().getSeconds());
                  parts.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(p);
                }
              }
              case FINISHED, FAILED, REJECTED, CANCELLED -> {
                if (JobEnds.ends(e)) {
                  ends.putIfAbsent(r.key(), e);
                  endTimes.putIfAbsent(r.key(), System.nanoTime());
                }
              }
              default -> {}
            }
          },
          () -> ends.size() == jobs.size(),
          timeout);
      List<JobRun> runs = new ArrayList<>();
      long last = t0;
      for (String id : jobs.keySet()) {
        JobEvent end = ends.get(id);
        long stop = endTimes.getOrDefault(id, System.nanoTime());
        last = Math.max(last, stop);
        runs.add(
            new JobRun(
                id,
                end == null ? "timeout" : end.getKindCase().name().toLowerCase(Locale.ROOT),
                reason(end, timeout),
                (stop - started.get(id)) / 1e9,
                eps.getOrDefault(id, List.of()),
                parts.getOrDefault(id, List.of())));
      }
      Map<String, Double> cpu = ProcessCpu.used(cpuBefore, ProcessCpu.read(processes));
      return new Submission(runs, (last - t0) / 1e9, cpu);
    }
  }

  /** Returns the platform's live processes by name: the broker and every service replica. */
  private Map<String, ProcessHandle> processes() {
    Map<String, ProcessHandle> out = new LinkedHashMap<>();
    for (StackEntry e : platform.stack().state().entries()) {
      e.liveProcess().ifPresent(h -> out.put(e.name(), h));
    }
    return out;
  }

  private static String reason(JobEvent end, Duration timeout) {
    if (end == null) {
      return "no end within " + timeout.toMinutes() + " minutes";
    }
    return switch (end.getKindCase()) {
      case FAILED -> end.getFailed().getReason();
      case REJECTED -> end.getRejected().getReason();
      case CANCELLED -> "cancelled";
      default -> "";
    };
  }

  /**
   * Stops the platform, if it was started, and deletes what its jobs left: the artifact store (a
   * BERT-base teacher per seed, 440 MB each, and the students' snapshots) and the broker's data
   * (the teacher outputs), several GB per run. The service logs stay under {@code
   * <work>/platform/stack/logs}; the figures' numbers are in the report.
   */
  @Override
  public void close() {
    if (platform == null) {
      return;
    }
    platform.close();
    platform = null;
    for (Path dir : List.of(options.artifacts(), options.stateDir().resolve(ProcessKafkaBroker.NAME))) {
      try {
        AtomicFiles.deleteTree(dir);
      } catch (IOException e) {
        System.err.println("retort bench: could not delete " + dir + " (" + e.getMessage() + "); delete it by hand");
      }
    }
  }
}

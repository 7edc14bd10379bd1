package dev.retort.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Load: K jobs submitted at once to one trainer (more than it runs at a time) queue and run one
 * after the other in submission order; every process's memory stays under a stated bound and the
 * trainer's does not grow with the number of queued jobs (they wait in Kafka, at most 16 fetched
 * requests in its PendingRequests); and the teacher never holds more than {@code max.poll.records}
 * (8) polled requests, so the requests of all K jobs wait in Kafka, not in its memory.
 *
 * <p>Prints a {@code LOAD SUMMARY} line: jobs, wall time, jobs/min, distillation examples/s (planned
 * distillation steps x batch size over the wall time from submission to the last end), peak RSS of
 * each process, the trainer's peak after each job and the teacher's pending requests.
 *
 * <p>CI size: 4 tiny jobs. {@code -Dnightly=true}: 12 slightly larger jobs. Each job has its own id
 * and seed, so its own fine-tuned teacher and teacher pass: the teacher computes for every job.
 */
class LoadIT {
  /** The distillation batch size of {@link Platforms#tinyJob}. */
  private static final int BATCH = 16;
  /** The teacher channel's max.poll.records (services/teacher application.properties), 1 replica. */
  private static final int TEACHER_PENDING_BOUND = 8;
  /**
   * Peak RSS bounds in MiB. The JVM heaps are capped (-Xmx: teacher 3g, trainer 4g, loss 1g,
   * evaluator 2g), but tiny models need little of them; RSS is heap in use + metaspace + libtorch.
   * Measured on the 2-core machine with 4 tiny jobs, two runs: trainer 1074 and 756, teacher 371
   * and 477, loss 315 and 278, evaluator 428 and 456 (kafka about 200, not asserted). The trainer's
   * bound is 1.4 times its worse run, the others about twice: a buffer of every queued request or
   * a model kept per job fails them, GC timing does not. The nightly size uses the same models and
   * bounds (not yet measured there).
   */
  private static final Map<String, Long> PEAK_BOUND_MIB = Map.of(
      "trainer", 1536L, "teacher", 1024L, "loss", 640L, "evaluator", 1024L);

  @Test
  void queuedJobsRunOneAtATimeInOrderWithBoundedMemoryAndTeacherBackPressure() throws Exception {
    boolean nightly = Boolean.getBoolean("retort.nightly");
    int k = nightly ? 12 : 4;
    PlatformOptions options = Platforms.options("load");
    ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
    try (LocalPlatform platform = Platforms.start(options);
        PlatformClient client = PlatformClient.connect(platform.bootstrap(), options.stateDir())) {
      var data = options.artifacts().resolve("data");
      List<String> ids = new ArrayList<>();
      Map<String, List<JobEvent>> events = new HashMap<>();
      Map<String, JobEvent> ends = new HashMap<>();
      // The trainer's memory when each job ended, in order of ending.
      List<ProcessMemory> trainerAfter = new ArrayList<>();
      List<Long> pendingSamples = new ArrayList<>();
      AtomicLong lastSample = new AtomicLong(System.nanoTime() - 2_000_000_000L);
      long maxLag = 0;
      long t0;
      long wall;
      try (var reader = client.fromNow(Topics.JOB_EVENTS)) {
        t0 = System.nanoTime();
        for (int i = 0; i < k; i++) {
          String id = "load-" + i;
          ids.add(id);
          events.put(id, new ArrayList<>());
          String yaml = Platforms.tinyJob(data, "").replace("seed: 11", "seed: " + (11 + i));
          if (nightly) {
            yaml = yaml.replace("sample-size: 96", "sample-size: 160");
          }
          // Synchronous sends: each request is in the log (and timestamped) before the next.
          client.submit(id, new JobParser(JobSchema.root()).parse(yaml, "load.yaml").explicitTree());
        }
        long[] lag = {0};
        boolean done = reader.read(r -> {
          if (!events.containsKey(r.key())) {
            return;
          }
          JobEvent e = serde.decode(r.value()).value();
          events.get(r.key()).add(e);
          if (e.hasFinished() || e.hasFailed() || e.hasRejected() || e.hasCancelled()) {
            ends.put(r.key(), e);
            trainerAfter.add(ProcessMemory.of(platform, "trainer"));
          }
        }, () -> {
          if (System.nanoTime() - lastSample.get() >= 1_000_000_000L) {
            lastSample.set(System.nanoTime());
            pendingSamples.add(Metrics.sum(platform, "teacher", "retort_teacher_requests_pending", ""));
            // Requests waiting in Kafka for the teacher (reported, not asserted: it depends on timing).
            lag[0] = Math.max(lag[0], Math.round(Metrics.max(platform, "teacher",
                "kafka_consumer_fetch_manager_records_lag_max", "kafka-consumer-teacher-requests")));
          }
          return ends.size() == k;
        }, Duration.ofMinutes(nightly ? 45 : 10));
        wall = System.nanoTime() - t0;
        maxLag = lag[0];
        assertThat(done).as("all %d jobs ended; ended: %s", k, ends.keySet()).isTrue();
      }

      // Measurements first, so that the summary is printed even when an assertion fails.
      Map<String, ProcessMemory> memory = new LinkedHashMap<>();
      for (String s : LocalPlatform.SERVICES) {
        memory.put(s, ProcessMemory.of(platform, s));
      }
      memory.put("kafka", ProcessMemory.of(platform, "kafka"));
      long pendingMax = Metrics.sum(platform, "teacher", "retort_teacher_requests_pending_max", "");
      long examples = 0;
      for (String id : ids) {
        // Distillation examples = planned steps of each distillation phase x batch size.
        Map<String, Long> steps = new HashMap<>();
        events.get(id).stream().filter(e -> e.hasProgress() && e.getProgress().getPhase().startsWith("distill"))
            .forEach(e -> steps.merge(e.getProgress().getPhase(), e.getProgress().getTotalSteps(), Math::max));
        examples += BATCH * steps.values().stream().mapToLong(Long::longValue).sum();
      }
      double seconds = wall / 1e9;
      StringBuilder peaks = new StringBuilder();
      memory.forEach((s, m) -> peaks.append(' ').append(s).append('=').append(m.peakMiB()).append("MiB"));
      System.out.printf("LOAD SUMMARY: jobs=%d wall=%.1fs jobs/min=%.2f distill-examples=%d examples/s=%.1f"
              + " peak-rss:%s trainer-peak-after-each-job=%sMiB teacher-pending-max=%d (sampled max %d, bound %d)"
              + " teacher-request-lag-max=%d%n",
          k, seconds, k / (seconds / 60), examples, examples / seconds, peaks,
          trainerAfter.stream().map(m -> Long.toString(m.peakMiB())).toList(), pendingMax,
          pendingSamples.stream().mapToLong(Long::longValue).max().orElse(-1), TEACHER_PENDING_BOUND, maxLag);

      // Every job finished.
      for (String id : ids) {
        assertThat(ends.get(id).hasFinished()).as("%s ended with %s; events %s", id, ends.get(id),
            Platforms.summary(events.get(id))).isTrue();
      }
      // One at a time, in submission order: each job's accepted and progress events come after
      // the previous job's last progress event.
      for (int i = 1; i < k; i++) {
        List<JobEvent> prev = events.get(ids.get(i - 1));
        List<JobEvent> cur = events.get(ids.get(i));
        long prevLast = prev.stream().filter(JobEvent::hasProgress).mapToLong(LoadIT::millis).max().orElseThrow();
        long curAccepted = cur.stream().filter(JobEvent::hasAccepted).mapToLong(LoadIT::millis).min().orElseThrow();
        long curFirst = cur.stream().filter(JobEvent::hasProgress).mapToLong(LoadIT::millis).min().orElseThrow();
        assertThat(curAccepted).as("%s is accepted after %s's last progress", ids.get(i), ids.get(i - 1)).isGreaterThanOrEqualTo(prevLast);
        assertThat(curFirst).as("%s makes progress after %s's last progress", ids.get(i), ids.get(i - 1)).isGreaterThan(prevLast);
      }
      // Nothing dead-lettered.
      List<String> dead = new ArrayList<>();
      try (var r = client.fromStart(Topics.DEAD_LETTERS)) {
        r.drain(rec -> dead.add(rec.key()), key -> true);
      }
      assertThat(dead).as("dead-lettered keys").isEmpty();
      // Memory: every service under its bound; the trainer's peak does not grow per queued job.
      PEAK_BOUND_MIB.forEach((s, bound) -> assertThat(memory.get(s).peakMiB())
          .as("peak RSS of %s in MiB", s).isLessThanOrEqualTo(bound));
      // The first job also pays for warming up: the JVM grows its heap towards -Xmx only as it
      // needs to and libtorch's allocator keeps its pools, and when it ends the trainer is already
      // fine-tuning the second job's teacher. Measured: one run 763 MiB after job 1 and 1074 at
      // the end of 4 (heap growth, 1.41x); another 648, 715, 752, 756 after jobs 1..4. So the
      // growth is measured from the end of the second job and allowed 1.5x: the queued jobs wait
      // in Kafka and must not add memory each.
      assertThat(trainerAfter).hasSize(k);
      assertThat((double) memory.get("trainer").peakBytes())
          .as("trainer peak RSS after %d jobs vs after the second; after each job: %s", k, trainerAfter)
          .isLessThanOrEqualTo(1.5 * trainerAfter.get(1).peakBytes());
      // Back-pressure: the teacher never held more polled requests than one poll.
      assertThat(pendingSamples).as("teacher pending requests, sampled every second").isNotEmpty()
          .allSatisfy(n -> assertThat(n).isBetween(0L, (long) TEACHER_PENDING_BOUND));
      assertThat(pendingMax).as("teacher pending requests, peak").isBetween(1L, (long) TEACHER_PENDING_BOUND);
    }
  }

  private static long millis(JobEvent e) {
    return e.getTime().getSeconds() * 1000 + e.getTime().getNanos() / 1_000_000;
  }
}

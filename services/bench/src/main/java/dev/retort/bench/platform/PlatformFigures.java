package dev.retort.bench.platform;

import dev.retort.bench.BenchContext;
import dev.retort.bench.BenchJobs;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the two platform figures share: the availability check, the warm-up and the JSON of a run. */
final class PlatformFigures {
  private PlatformFigures() {}

  /**
   * A warmed-up platform to measure on, and the jobs' sample data; or, when there is none, the
   * figure's result that says why.
   *
   * @param harness the platform, null when not ready
   * @param data the sample data directory, null when not ready
   * @param warmUpSeconds the warm-up jobs' wall time (once per bench run: both figures report it)
   * @param notReady the skipped or failed result, null when ready
   */
  record Ready(PlatformHarness harness, Path data, double warmUpSeconds, FigureResult notReady) {}

  /**
   * Checks that the platform can run here, warms it up ({@link #warmUp}) and writes the sample
   * data: what both platform figures do before their first measured job.
   *
   * @param ctx the run
   * @param figure the figure, for a skipped or failed result
   * @return the platform, or the result to return
   * @throws Exception if the platform cannot be reached
   */
  static Ready prepare(BenchContext ctx, FigureId figure) throws Exception {
    Optional<PlatformHarness> harness = available(ctx);
    if (harness.isEmpty()) {
      return new Ready(null, null, 0, skipped(ctx, figure));
    }
    Submission warm = warmUp(harness.get(), ctx);
    Optional<JobRun> bad = warm.firstUnfinished();
    if (bad.isPresent()) {
      return new Ready(null, null, 0, FigureResult.failed(figure,
          "warm-up job " + bad.get().jobId() + " " + bad.get().outcome() + ": " + bad.get().reason()));
    }
    return new Ready(harness.get(), sampleData(harness.get(), ctx), warm.wallSeconds(), null);
  }

  /** Returns the harness when the platform can run here. */
  static Optional<PlatformHarness> available(BenchContext ctx) {
    return ctx.platform().filter(h -> h.unavailable().isEmpty());
  }

  /**
   * Writes the jobs' sample data once, before any job runs, so that jobs running side by side do
   * not write the same files at the same time.
   *
   * @param harness the platform
   * @param ctx the run
   * @return the data directory the jobs name
   */
  static Path sampleData(PlatformHarness harness, BenchContext ctx) {
    Path dir = harness.dataDir().resolve("sample-data");
    dev.retort.core.job.TaskResolver.writeSampleData(dir, ctx.settings().platform().sampleSize());
    return dir;
  }

  /** Untimed jobs the platform runs before its first measured one. */
  static final int WARM_UP_JOBS = 2;

  /**
   * Runs {@value #WARM_UP_JOBS} jobs on the platform, one after the other, before the first
   * measured one, once per bench run, untimed. A platform in use has warm services: hot paths
   * compiled in every JVM, the engine's kernels for these shapes chosen, the allocators' memory
   * mapped. Without this the first figure to use the platform would pay for that, and the
   * knowledge-reuse figure would charge it to the shared arm, which runs first. After one job,
   * that figure run alone gave its first shared job 29.6 and 30.0 s of steps (teacher wait 15 and
   * 16 s) where the sequential jobs, run later, took 21 to 28 s, and 21.7 s when the
   * platform-overhead figure had run first; after two, 26.1 s alone and 24.8 s after the other
   * figure (a difference within the spread of single runs). Each job has the figures' shape and
   * its own seed, so it shares no teacher pass with a measured job, nor its teacher (a preset's
   * random weights depend on the seed): every arm still loads its own.
   *
   * @param harness the platform
   * @param ctx the run
   * @return the last warm-up job's run, or the first that did not finish
   * @throws Exception if the platform cannot be reached
   */
  static Submission warmUp(PlatformHarness harness, BenchContext ctx) throws Exception {
    return ctx.shared(
        "platform-warm-up",
        () -> {
          var s = ctx.settings().platform();
          Path data = sampleData(harness, ctx);
          Submission last = null;
          for (int k = 0; k < WARM_UP_JOBS; k++) {
            ctx.progress(
                "platform: warm-up job " + (k + 1) + " of " + WARM_UP_JOBS + " (not measured)");
            long seed = ctx.settings().seed() + 1 + k;
            var job = BenchJobs.platform(s, "bench-warm-up", seed, 1e-4, "all", data);
            last =
                harness.submitTogether(
                    Map.of("bench-warm-up-" + stamp() + "-" + k, job),
                    Duration.ofMinutes(s.timeoutMinutes()));
            if (last.firstUnfinished().isPresent()) {
              break;
            }
          }
          return last;
        });
  }

  /** Returns the skipped result, saying why. */
  static FigureResult skipped(BenchContext ctx, FigureId figure) {
    String why =
        ctx.platform()
            .map(h -> h.unavailable().orElse(""))
            .orElse("no platform harness (run it from the retort command line)");
    return FigureResult.skipped(figure, why);
  }

  /** Returns a time stamp that keeps job ids of different bench runs apart. */
  static String stamp() {
    return DateTimeFormatter.ofPattern("MMddHHmmss").format(LocalDateTime.now());
  }

  /** Returns a run as JSON fields. */
  static Map<String, Object> toMap(JobRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job_id", r.jobId());
    m.put("outcome", r.outcome());
    if (!r.reason().isEmpty()) {
      m.put("reason", r.reason());
    }
    m.put("wall_seconds", r.wallSeconds());
    m.put("step_examples_per_second", r.stepExamplesPerSecond());
    m.put("examples_per_second", r.examplesPerSecond(0));
    m.put("examples_per_second_after_first_step", r.examplesPerSecond(1));
    m.put("median_examples_per_second", r.medianExamplesPerSecond());
    m.put("median_step_split_seconds", r.medianStepSplit());
    m.put("step_split_seconds", r.stepSplits());
    return m;
  }

  /**
   * Describes where a run's steps went, in milliseconds per step: {@code step 412 ms = teacher 3 +
   * forward 120 + loss-service 40 + backward 220 + optimizer 25}.
   */
  static String split(JobRun r) {
    Map<String, Double> s = r.medianStepSplit();
    if (s.isEmpty()) {
      return "no step split";
    }
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "step %.0f ms =", 1e3 * s.get(JobRun.STEP)));
    String sep = " ";
    for (var e : s.entrySet()) {
      if (!JobRun.STEP.equals(e.getKey())) {
        b.append(sep).append(e.getKey()).append(String.format(Locale.ROOT, " %.0f", 1e3 * e.getValue()));
        sep = " + ";
      }
    }
    return b.toString();
  }
}

package dev.retort.bench.platform;

import dev.retort.bench.BenchContext;
import dev.retort.bench.BenchJobs;
import dev.retort.bench.BenchSettings.PlatformShape;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import dev.retort.bench.Target;
import dev.retort.core.io.AtomicFiles;
import dev.retort.core.job.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Platform overhead: examples/s of a job's distillation steps through the Kafka services (teacher
 * outputs from the teacher service, EMD solves from the loss service) divided by the same job run
 * in this process, on the same machine in the same run. Both sides are the examples of the
 * trainer's per-step reports divided by those steps' wall time, first step excluded ({@link
 * JobRun#examplesPerSecond()}). Each side runs an untimed warm-up job first (the platform's is
 * {@link PlatformFigures#warmUp}), so that neither pays for compiling its hot paths.
 */
public final class PlatformOverheadFigure implements Figure {
  /** The target. */
  public static final Target TARGET = Target.atLeast(0.9);

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.PLATFORM_OVERHEAD;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    var harness = PlatformFigures.available(ctx);
    if (harness.isEmpty()) {
      return PlatformFigures.skipped(ctx, id());
    }
    Submission warm = PlatformFigures.warmUp(harness.get(), ctx);
    if (warm.firstUnfinished().isPresent()) {
      JobRun bad = warm.firstUnfinished().get();
      return FigureResult.failed(
          id(), "warm-up job " + bad.jobId() + " " + bad.outcome() + ": " + bad.reason());
    }
    PlatformShape s = ctx.settings().platform();
    String stamp = PlatformFigures.stamp();
    Path data = PlatformFigures.sampleData(harness.get(), ctx);
    ConfigValues job =
        BenchJobs.platform(
            s,
            "bench-overhead",
            ctx.settings().seed() + 11,
            1e-4,
            "minimal",
            data);
    Path runs = ctx.settings().workDir().resolve("runs");
    // The in-process side gets its own untimed warm-up, as the platform did: both sides measured warm.
    ctx.progress("platform overhead: warm-up job in this process (not measured)");
    JobRun localWarmUp =
        InProcessJobs.run(
            "bench-overhead-warm-up-" + stamp,
            BenchJobs.platform(
                s, "bench-overhead-warm-up", ctx.settings().seed() + 12, 1e-4, "minimal", data),
            runs);
    ctx.progress(
        "platform overhead: the job in this process (%d steps, teacher %s)",
        s.steps(), s.teacherModel());
    JobRun local = InProcessJobs.run("bench-overhead-" + stamp, job, runs);
    // Each run directory holds a copy of its teacher (440 MB for BERT-base); the numbers are taken.
    AtomicFiles.deleteTree(runs.resolve(localWarmUp.jobId()));
    AtomicFiles.deleteTree(runs.resolve(local.jobId()));
    ctx.progress("platform overhead: the same job through the services");
    Submission remote =
        harness
            .get()
            .submitTogether(
                Map.of("bench-overhead-" + stamp, job), Duration.ofMinutes(s.timeoutMinutes()));
    if (remote.firstUnfinished().isPresent()) {
      JobRun bad = remote.firstUnfinished().get();
      return FigureResult.failed(
          id(), "job " + bad.jobId() + " " + bad.outcome() + ": " + bad.reason());
    }
    JobRun platform = remote.runs().get(0);
    double ratio = platform.examplesPerSecond() / local.examplesPerSecond();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("warm_up_seconds", warm.wallSeconds());
    d.put("in_process_warm_up_seconds", localWarmUp.wallSeconds());
    d.put("job", job.explicitTree());
    d.put("in_process", PlatformFigures.toMap(local));
    d.put("platform", PlatformFigures.toMap(platform));
    d.put("ratio", ratio);
    // Medians of each part taken separately, so they need not add up to the step's median.
    ctx.progress("platform overhead: in process   %s", PlatformFigures.split(local));
    ctx.progress("platform overhead: via services %s", PlatformFigures.split(platform));
    String text =
        String.format(
            Locale.ROOT,
            "%.3f (%.1f / %.1f examples/s)",
            ratio,
            platform.examplesPerSecond(),
            local.examplesPerSecond());
    return FigureResult.measured(id(), ratio, text, TARGET, d);
  }
}

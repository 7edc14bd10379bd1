package dev.retort.bench.platform;

import dev.retort.bench.BenchContext;
import dev.retort.bench.BenchJobs;
import dev.retort.bench.BenchSettings.PlatformShape;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import dev.retort.bench.Target;
import dev.retort.core.job.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Knowledge reuse: the wall time of four students that share one teacher pass (same teacher, data,
 * seed and selection; {@code platform.teacher-outputs: all}; only the learning rate differs),
 * submitted at once, divided by four runs one after another that each compute the teacher (seeds
 * differ, so no two share a pass key). Both arms run on a warmed-up platform ({@link
 * PlatformFigures#warmUp}): every service has run a job before either arm starts.
 *
 * <pre>
 * ratio = wall(4 jobs, one pass) / Σ_k wall(job k, its own pass)
 * </pre>
 */
public final class KnowledgeReuseFigure implements Figure {
  /** The target. */
  public static final Target TARGET = Target.atMost(0.4);

  /** The students' learning rates. */
  static final double[] RATES = {1e-4, 5e-5, 3e-5, 2e-5};

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.KNOWLEDGE_REUSE;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    PlatformFigures.Ready ready = PlatformFigures.prepare(ctx, id());
    if (ready.notReady() != null) {
      return ready.notReady();
    }
    PlatformHarness harness = ready.harness();
    Path data = ready.data();
    PlatformShape s = ctx.settings().platform();
    Duration timeout = Duration.ofMinutes(s.timeoutMinutes());
    String stamp = PlatformFigures.stamp();
    long seed = ctx.settings().seed();
    Map<String, ConfigValues> shared = new LinkedHashMap<>();
    for (int k = 0; k < RATES.length; k++) {
      shared.put(
          "bench-reuse-" + stamp + "-shared-" + k,
          BenchJobs.platform(s, "bench-reuse-shared", seed + 21, RATES[k], "all", data));
    }
    ctx.progress(
        "knowledge reuse: %d students on one teacher pass, submitted at once", shared.size());
    Submission together = harness.submitTogether(shared, timeout);
    List<JobRun> alone = new ArrayList<>();
    List<Submission> aloneSubmissions = new ArrayList<>();
    double sequential = 0;
    for (int k = 0; k < RATES.length; k++) {
      ctx.progress("knowledge reuse: run %d of %d with its own teacher pass", k + 1, RATES.length);
      ConfigValues job =
          BenchJobs.platform(s, "bench-reuse-alone", seed + 31 + k, RATES[k], "all", data);
      Submission one =
          harness.submitTogether(Map.of("bench-reuse-" + stamp + "-alone-" + k, job), timeout);
      alone.addAll(one.runs());
      aloneSubmissions.add(one);
      sequential += one.wallSeconds();
    }
    for (JobRun r : concat(together.runs(), alone)) {
      if (!r.finished()) {
        return FigureResult.failed(
            id(), "job " + r.jobId() + " " + r.outcome() + ": " + r.reason());
      }
    }
    double ratio = together.wallSeconds() / sequential;
    // Where the work went in each arm, and how much of the cores idled.
    ArmCpu sharedCpu = ArmCpu.of(List.of(together));
    ArmCpu sequentialCpu = ArmCpu.of(aloneSubmissions);
    ctx.progress("knowledge reuse, %s", sharedCpu.text("shared arm"));
    ctx.progress("knowledge reuse, %s", sequentialCpu.text("sequential arm"));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("warm_up_seconds", ready.warmUpSeconds());
    d.put("shared_wall_seconds", together.wallSeconds());
    d.put("sequential_wall_seconds", sequential);
    d.put("shared_runs", together.runs().stream().map(PlatformFigures::toMap).toList());
    d.put("sequential_runs", alone.stream().map(PlatformFigures::toMap).toList());
    d.put("shared_cpu", sharedCpu.toMap());
    d.put("sequential_cpu", sequentialCpu.toMap());
    d.put("learning_rates", RATES);
    d.put("job", shared.values().iterator().next().explicitTree());
    d.put("ratio", ratio);
    String text =
        String.format(
            Locale.ROOT, "%.3f (%.0f s / %.0f s)", ratio, together.wallSeconds(), sequential);
    return FigureResult.measured(id(), ratio, text, TARGET, d);
  }

  private static List<JobRun> concat(List<JobRun> a, List<JobRun> b) {
    List<JobRun> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}

package dev.retort.bench;

import dev.retort.bench.compute.MatmulFigure;
import dev.retort.bench.compute.StepEfficiencyFigure;
import dev.retort.bench.compute.StepFigures;
import dev.retort.bench.compute.StepSplitFigure;
import dev.retort.bench.compute.TeacherEfficiencyFigure;
import dev.retort.bench.compute.TorchComparisonFigure;
import dev.retort.bench.jmh.CodecFigure;
import dev.retort.bench.jmh.EmdSolveFigure;
import dev.retort.bench.memory.MemoryFigure;
import dev.retort.bench.platform.KnowledgeReuseFigure;
import dev.retort.bench.platform.PlatformHarness;
import dev.retort.bench.platform.PlatformOverheadFigure;
import dev.retort.bench.wire.WireSizeFigure;
import dev.retort.core.RetortException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the selected figures of {@code retort bench} in one process, in table order, so that each
 * ratio's numerator and denominator are measured in the same run. A figure that breaks is reported
 * as failed with its reason and the others still run.
 */
public final class BenchSuite {
  private static final Logger LOG = LoggerFactory.getLogger(BenchSuite.class);

  private BenchSuite() {}

  /** Returns every figure, in table order. */
  public static List<Figure> figures() {
    return List.of(
        new MatmulFigure(),
        new StepEfficiencyFigure(),
        new StepSplitFigure(),
        new TorchComparisonFigure(),
        new TeacherEfficiencyFigure(),
        new PlatformOverheadFigure(),
        new KnowledgeReuseFigure(),
        new WireSizeFigure(),
        new EmdSolveFigure(),
        new MemoryFigure(),
        new CodecFigure());
  }

  /**
   * Returns the figures in the order they are measured: the memory probe first, while this process
   * is still small (its JVM would otherwise run beside the gigabytes the step figures leave
   * behind), then table order.
   */
  static List<Figure> executionOrder() {
    List<Figure> all = new ArrayList<>(figures());
    all.sort(
        java.util.Comparator.comparingInt(
            (Figure f) -> f.id() == FigureId.MEMORY ? -1 : f.id().ordinal()));
    return all;
  }

  /**
   * Runs the figures the settings select. The matmul reference is shown whenever an efficiency
   * figure runs; in quick mode the platform figures that were not asked for are listed as skipped.
   *
   * @param settings shapes and selection
   * @param platform runs jobs on the services, or null
   * @param progress receives a line per measurement
   * @return the report
   */
  public static BenchReport run(
      BenchSettings settings, PlatformHarness platform, Consumer<String> progress) {
    long t0 = System.nanoTime();
    List<FigureResult> results = new ArrayList<>();
    try (BenchContext ctx = new BenchContext(settings, platform, progress)) {
      Map<FigureId, FigureResult> byId = new java.util.EnumMap<>(FigureId.class);
      for (Figure f : executionOrder()) {
        FigureId id = f.id();
        if (id.ordinal() > FigureId.TEACHER_EFFICIENCY.ordinal()) {
          ctx.release(
              StepFigures.WORKLOAD); // the compute figures' models and outputs: not beside the rest
        }
        boolean run =
            settings.selected(id)
                || (id == FigureId.MATMUL
                    && (settings.selected(FigureId.STEP_EFFICIENCY)
                        || settings.selected(FigureId.TEACHER_EFFICIENCY)));
        if (!run) {
          if (settings.quick() && settings.only().isEmpty() && id.needsPlatform()) {
            byId.put(
                id,
                FigureResult.skipped(
                    id, "--quick measures the platform figures only when --only names them"));
          }
          continue;
        }
        FigureResult r = measure(f, ctx);
        byId.put(id, r);
        progress.accept(
            id.id()
                + ": "
                + r.measured()
                + (r.target() == null
                    ? ""
                    : " (target " + r.target().describe() + ": " + r.verdict() + ")"));
      }
      results.addAll(byId.values());
    }
    return new BenchReport(
        Environment.describe(), settings, results, (System.nanoTime() - t0) / 1e9);
  }

  private static FigureResult measure(Figure f, BenchContext ctx) {
    long t0 = System.nanoTime();
    FigureResult r;
    try {
      r = f.measure(ctx);
    } catch (RetortException e) {
      r = FigureResult.failed(f.id(), e.getMessage());
    } catch (Exception | OutOfMemoryError e) {
      LOG.warn("{} failed", f.id().id(), e);
      r = FigureResult.failed(f.id(), e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    Map<String, Object> details = new LinkedHashMap<>(r.details());
    details.put("figure_seconds", (System.nanoTime() - t0) / 1e9);
    return new FigureResult(
        r.figure(), r.status(), r.value(), r.measured(), r.target(), r.note(), r.unmet(), details);
  }
}

package dev.retort.bench.jmh;

import dev.retort.bench.BenchContext;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import dev.retort.bench.Target;
import dev.retort.core.distill.emd.TransportSolver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EMD solve: the time of one 4×12 transport solve by retort's solver divided by commons-math's
 * {@code SimplexSolver} on the same instances, both measured by JMH in the same run ({@link
 * TransportSolverBenchmark}). The optima are checked identical here too, so the report states it.
 */
public final class EmdSolveFigure implements Figure {
  /** The target. */
  public static final Target TARGET = Target.atMost(0.01);

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.EMD_SOLVE;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    var s = ctx.settings().jmh();
    TransportInstances inst =
        TransportInstances.random(
            TransportSolverBenchmark.INSTANCES, 4, 12, TransportSolverBenchmark.SEED);
    double worst = TransportSolverBenchmark.worstDifference(inst, TransportSolver.create());
    ctx.progress(
        "EMD solve: JMH, %d fork(s), %d x %d ms warm-up, %d x %d ms measured, both solvers",
        s.forks(), s.warmupIterations(), s.warmupMillis(), s.iterations(), s.iterationMillis());
    List<JmhScore> scores =
        JmhRunner.run(
            List.of(TransportSolverBenchmark.class),
            s,
            ctx.settings().workDir().resolve("jmh-emd.log"));
    JmhScore ours = JmhRunner.find(scores, "TransportSolverBenchmark.transportSolver", Map.of());
    JmhScore lp = JmhRunner.find(scores, "TransportSolverBenchmark.simplexSolver", Map.of());
    double ratio = ours.score() / lp.score();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("instances", inst.size());
    d.put("shape", "4 x 12, supplies and demands summing to 1, costs uniform in [0, 1)");
    d.put("max_relative_optimum_difference", worst);
    d.put("identical_optimum_tolerance", TransportSolverBenchmark.TOLERANCE);
    d.put("transport_solver", ours.toMap());
    d.put("simplex_solver", lp.toMap());
    d.put(
        "jmh",
        Map.of(
            "forks",
            s.forks(),
            "warmup_iterations",
            s.warmupIterations(),
            "warmup_ms",
            s.warmupMillis(),
            "iterations",
            s.iterations(),
            "iteration_ms",
            s.iterationMillis()));
    d.put("ratio", ratio);
    String text =
        String.format(
            Locale.ROOT,
            "%.4f (%.2f / %.1f us per solve; optima equal to %.0e)",
            ratio,
            ours.score(),
            lp.score(),
            Math.max(worst, 1e-16));
    FigureResult r = FigureResult.measured(id(), ratio, text, TARGET, d);
    if (!(worst <= TransportSolverBenchmark.TOLERANCE)) {
      r = r.withUnmet("optima differ by " + worst);
    }
    return r;
  }
}

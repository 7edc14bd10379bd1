package dev.retort.bench.compute;

import dev.retort.bench.BenchContext;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import dev.retort.bench.Target;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Step efficiency: the FLOP/s of a BERT-EMD distillation step (student forward and backward, the
 * projection, the loss with the in-process transport solver, BertAdam; teacher outputs given)
 * divided by the FLOP/s of the matmul reference of the same run.
 *
 * <pre>
 * efficiency = median_i (step FLOPs / step_i) / (2n³ / matmul_i)
 * </pre>
 *
 * where matmul_i is a reference matmul timed right after timed step i, so that each pair sees the
 * same machine load (the machine may be shared); the ratio against the reference row, measured
 * before, is in the details too.
 */
public final class StepEfficiencyFigure implements Figure {
  /** The target. */
  public static final Target TARGET = Target.atLeast(0.6);

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.STEP_EFFICIENCY;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    MatmulReference.Result mm = MatmulFigure.reference(ctx);
    StepFigures.Steps steps = StepFigures.steps(ctx);
    StepWorkload w = StepFigures.workload(ctx);
    double median = Stats.median(steps.seconds());
    double rate = steps.flops().flops() / median;
    double ratio =
        MatmulSampler.pairedRatio(
            steps.flops().flops(), steps.seconds(), steps.matmulFlops(), steps.matmul());
    double matmulRate = steps.matmulFlops() / Stats.median(steps.matmul());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("student", w.shape().studentPreset());
    d.put(
        "teacher_outputs",
        "given: computed once by a randomly initialised "
            + w.shape().teacherPreset()
            + "-shaped teacher (every hidden state, every layer's scores, logits)");
    d.put("method", "bert-emd, job defaults, in-process transport solver, BertAdam");
    d.put("batch", w.shape().batch());
    d.put("length", w.shape().length());
    d.put("warmup_steps", steps.warmup().size());
    d.put("repetitions", steps.timed().size());
    d.put("step_seconds", Stats.round(steps.seconds(), 4));
    d.put("median_step_seconds", median);
    d.put("examples_per_second", w.shape().batch() / median);
    d.put("step_flops", steps.flops().toMap());
    d.put("step_flops_per_second", rate);
    d.put("paired_matmul_seconds", Stats.round(steps.matmul(), 4));
    d.put("paired_matmul_flops_per_second", matmulRate);
    d.put(
        "ratio_formula",
        "median over timed steps i of (step FLOPs / step_i) / (2n^3 / matmul_i), matmul_i timed"
            + " right after step i");
    d.put("ratio", ratio);
    d.put("ratio_against_reference_row", rate / mm.flopsPerSecond());
    d.put("matmul", mm.toMap());
    String text =
        String.format(
            Locale.ROOT,
            "%.3f (%s / %s)",
            ratio,
            FlopCount.gflops(rate),
            FlopCount.gflops(matmulRate));
    return FigureResult.measured(id(), ratio, text, TARGET, d);
  }
}

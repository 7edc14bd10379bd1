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
 * efficiency = (step FLOPs / median step seconds) / (2n³ / median matmul seconds)
 * </pre>
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
    double ratio = rate / mm.flopsPerSecond();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("student", w.shape().studentPreset());
    d.put("teacher_outputs", "given: computed once by a randomly initialised " + w.shape().teacherPreset()
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
    d.put("matmul", mm.toMap());
    d.put("ratio", ratio);
    String text = String.format(Locale.ROOT, "%.3f (%s / %s)", ratio, FlopCount.gflops(rate), FlopCount.gflops(mm.flopsPerSecond()));
    return FigureResult.measured(id(), ratio, text, TARGET, d);
  }
}

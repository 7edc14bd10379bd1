package dev.retort.bench.compute;

import dev.retort.bench.BenchContext;
import dev.retort.bench.BenchSettings.StepShape;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import dev.retort.bench.Target;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Teacher efficiency: the FLOP/s of teacher inference (the core's {@code LocalTeacher}: no
 * gradients, dropout off, the taps BERT-EMD needs: every hidden state, every layer's pre-softmax
 * scores, the logits) divided by the FLOP/s of reference matmuls, each timed right after a pass
 * (the median of the paired ratios, as in {@link StepEfficiencyFigure}).
 */
public final class TeacherEfficiencyFigure implements Figure {
  /** The target. */
  public static final Target TARGET = Target.atLeast(0.7);

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.TEACHER_EFFICIENCY;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    MatmulReference.Result mm = MatmulFigure.reference(ctx);
    StepWorkload w = StepFigures.workload(ctx);
    StepShape s = w.shape();
    int warmup = Math.max(0, s.warmup() - w.teacherPasses());
    ctx.progress(
        "teacher passes: %s-shaped, no gradients, %d warm-up + %d timed",
        s.teacherPreset(), warmup, s.teacherRepetitions());
    for (int i = 0; i < warmup; i++) {
      w.timeTeacherPass();
    }
    double[] seconds = new double[s.teacherRepetitions()];
    double[] matmul = new double[seconds.length];
    try (MatmulSampler sampler = new MatmulSampler(ctx.settings().matmul().n())) {
      for (int i = 0; i < seconds.length; i++) {
        seconds[i] = w.timeTeacherPass();
        matmul[i] = sampler.sample();
      }
    }
    FlopCount flops =
        FlopCount.teacherForward(w.teacher().config(), s.batch(), s.length(), StepWorkload.CLASSES);
    double median = Stats.median(seconds);
    double rate = flops.flops() / median;
    double ratio =
        MatmulSampler.pairedRatio(
            flops.flops(), seconds, FlopCount.matmul(ctx.settings().matmul().n()), matmul);
    double matmulRate = FlopCount.matmul(ctx.settings().matmul().n()) / Stats.median(matmul);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("teacher", s.teacherPreset() + " shape, random weights");
    d.put("taps", "hidden states 0..N, scores 1..N, logits (BERT-EMD's selection)");
    d.put("batch", s.batch());
    d.put("length", s.length());
    d.put("repetitions", seconds.length);
    d.put("seconds", Stats.round(seconds, 4));
    d.put("median_seconds", median);
    d.put("examples_per_second", s.batch() / median);
    d.put("flops", flops.toMap());
    d.put("flops_per_second", rate);
    d.put("paired_matmul_seconds", Stats.round(matmul, 4));
    d.put("paired_matmul_flops_per_second", matmulRate);
    d.put(
        "ratio_formula",
        "median over passes i of (pass FLOPs / pass_i) / (2n^3 / matmul_i), matmul_i timed right"
            + " after pass i");
    d.put("ratio_against_reference_row", rate / mm.flopsPerSecond());
    d.put("matmul", mm.toMap());
    d.put("ratio", ratio);
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

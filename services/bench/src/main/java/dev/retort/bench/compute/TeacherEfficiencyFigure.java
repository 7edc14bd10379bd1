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
 * scores, the logits) divided by the matmul reference's FLOP/s.
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
    ctx.progress("teacher passes: %s-shaped, no gradients, %d warm-up + %d timed", s.teacherPreset(), warmup, s.teacherRepetitions());
    for (int i = 0; i < warmup; i++) {
      w.timeTeacherPass();
    }
    double[] seconds = new double[s.teacherRepetitions()];
    for (int i = 0; i < seconds.length; i++) {
      seconds[i] = w.timeTeacherPass();
    }
    FlopCount flops = FlopCount.teacherForward(w.teacher().config(), s.batch(), s.length(), StepWorkload.CLASSES);
    double median = Stats.median(seconds);
    double rate = flops.flops() / median;
    double ratio = rate / mm.flopsPerSecond();
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
    d.put("matmul", mm.toMap());
    d.put("ratio", ratio);
    String text = String.format(Locale.ROOT, "%.3f (%s / %s)", ratio, FlopCount.gflops(rate), FlopCount.gflops(mm.flopsPerSecond()));
    return FigureResult.measured(id(), ratio, text, TARGET, d);
  }
}

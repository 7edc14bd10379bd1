package dev.retort.bench.compute;

import dev.retort.bench.BenchContext;
import dev.retort.bench.BenchSettings.StepShape;
import dev.retort.core.model.BertConfig;
import dev.retort.core.train.TrainingListener.StepReport;
import java.util.List;
import java.util.Map;

/** The step workload and step timings the step, split and teacher figures share within a run. */
public final class StepFigures {
  /** The shared workload's key in the run's context. */
  public static final String WORKLOAD = "step-workload";

  private StepFigures() {}

  /**
   * The timed steps of a run.
   *
   * @param warmup the untimed steps' reports
   * @param timed the timed steps' reports
   * @param flops the FLOPs of one step
   * @param matmul the reference matmul's seconds taken right after each timed step
   * @param matmulFlops the FLOPs of that matmul
   */
  public record Steps(
      List<StepReport> warmup,
      List<StepReport> timed,
      FlopCount flops,
      double[] matmul,
      double matmulFlops) {
    /** Returns each timed step's wall time. */
    public double[] seconds() {
      return timed.stream().mapToDouble(StepReport::seconds).toArray();
    }

    /** Returns the median of a part over the timed steps (0 where a step has no such part). */
    public double medianPart(String part) {
      return Stats.median(
          timed.stream().mapToDouble(r -> r.parts().getOrDefault(part, 0.0)).toArray());
    }

    /** Returns the parts of each timed step. */
    public List<Map<String, Double>> parts() {
      return timed.stream().map(StepReport::parts).toList();
    }
  }

  /**
   * Returns the run's workload, building it the first time.
   *
   * @param ctx the run
   * @return the workload
   * @throws Exception if the models cannot be built
   */
  public static StepWorkload workload(BenchContext ctx) throws Exception {
    return ctx.shared(
        WORKLOAD,
        () -> {
          StepShape s = ctx.settings().step();
          ctx.progress(
              "building a %s student and a %s-shaped teacher (random weights), batch %d x %d",
              s.studentPreset(), s.teacherPreset(), s.batch(), s.length());
          return StepWorkload.create(s, ctx.settings().seed());
        });
  }

  /**
   * Returns the run's step timings, running the steps the first time.
   *
   * @param ctx the run
   * @return the timings
   * @throws Exception if a step fails
   */
  public static Steps steps(BenchContext ctx) throws Exception {
    return ctx.shared(
        "steps",
        () -> {
          StepWorkload w = workload(ctx);
          StepShape s = w.shape();
          ctx.progress(
              "teacher outputs for the step: one %s pass, kept for every step", s.teacherPreset());
          w.given();
          ctx.progress(
              "distillation steps: BERT-EMD, %d warm-up + %d timed", s.warmup(), s.repetitions());
          List<Double> mm = new java.util.ArrayList<>();
          List<StepReport> all;
          try (MatmulSampler sampler = new MatmulSampler(ctx.settings().matmul().n())) {
            all = StepRunner.run(w, ctx.settings().seed(), () -> mm.add(sampler.sample()));
          }
          double[] paired =
              mm.subList(s.warmup(), mm.size()).stream().mapToDouble(Double::doubleValue).toArray();
          BertConfig sc = w.student().config();
          BertConfig tc = w.teacher().config();
          int projected = sc.hiddenSize() == tc.hiddenSize() ? 0 : sc.numLayers() + 1;
          FlopCount flops =
              FlopCount.studentStep(
                  sc, tc.hiddenSize(), projected, s.batch(), s.length(), StepWorkload.CLASSES);
          return new Steps(
              all.subList(0, s.warmup()),
              all.subList(s.warmup(), all.size()),
              flops,
              paired,
              FlopCount.matmul(ctx.settings().matmul().n()));
        });
  }
}

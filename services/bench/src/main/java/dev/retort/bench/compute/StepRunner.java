package dev.retort.bench.compute;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.DistillationObjective;
import dev.retort.core.distill.DistillationStep;
import dev.retort.core.distill.Phase;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.HfModule;
import dev.retort.core.train.BatchPlan;
import dev.retort.core.train.BertAdam;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainableParameter;
import dev.retort.core.train.TrainingListener;
import dev.retort.core.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs distillation steps the way a job's distillation phase does: the core's {@link TrainingLoop}
 * with a {@link DistillationStep}, BertAdam (BERT-EMD's optimiser, per-tensor clipping, the loop
 * only measuring the global norm) and a report after every step; no evaluation, no checkpoints.
 */
public final class StepRunner {
  /** The learning rate of the bench steps (constant). */
  public static final double LEARNING_RATE = 1e-4;

  private StepRunner() {}

  /**
   * Trains for a number of steps.
   *
   * @param student the student
   * @param objective the method
   * @param teacher where teacher outputs come from
   * @param plan the batches
   * @param steps how many optimiser steps
   * @param manager the student's long-lived manager (steps get sub-managers of it)
   * @param listener receives every step's report
   * @param seed seeds dropout
   * @return the state after the last step
   * @throws java.io.IOException never: there are no checkpoints
   */
  public static TrainState train(
      BertForSequenceClassification student,
      DistillationObjective objective,
      TeacherSource teacher,
      BatchPlan<Batch> plan,
      long steps,
      NDManager manager,
      TrainingListener listener,
      long seed)
      throws java.io.IOException {
    List<TrainableParameter> params = parameters(student, objective.modules());
    try (BertAdam optimizer = BertAdam.builder().setManager(manager).build()) {
      TrainingLoop<Batch> loop =
          TrainingLoop.<Batch>builder()
              .setPlan(plan)
              .setStep(new DistillationStep(student, objective, teacher, s -> Phase.JOINT))
              .setParameters(params)
              .setOptimizer(optimizer)
              .setLearningRate(LEARNING_RATE)
              .setTotalSteps(steps)
              .setManager(manager)
              .optMaxGradNorm(0)
              .optLogEvery(1)
              .addListener(listener)
              .build();
      return loop.run(TrainState.start("bench", seed));
    }
  }

  /**
   * Runs warm-up steps and timed steps and keeps every report.
   *
   * @param w the workload (its teacher outputs are given)
   * @param seed seeds dropout
   * @param afterStep runs after each step's report is taken (e.g. a paired matmul), or null
   * @return the reports, warm-up first
   * @throws java.io.IOException never
   */
  public static List<TrainingListener.StepReport> run(StepWorkload w, long seed, Runnable afterStep)
      throws java.io.IOException {
    List<TrainingListener.StepReport> reports = new ArrayList<>();
    TrainingListener collect =
        new TrainingListener() {
          @Override
          public void onStep(TrainState state, StepReport report) {
            reports.add(report);
            if (afterStep != null) {
              afterStep.run();
            }
          }
        };
    long steps = (long) w.shape().warmup() + w.shape().repetitions();
    train(
        w.student(),
        w.objective(),
        new GivenTeacher(w.given()),
        new FixedBatchPlan(List.of(w.batch())),
        steps,
        w.studentManager(),
        collect,
        seed);
    return reports;
  }

  /** Returns the trained parameters: the student's and the method's modules' (projection). */
  static List<TrainableParameter> parameters(
      BertForSequenceClassification student, Map<String, HfModule> modules) {
    List<TrainableParameter> out = new ArrayList<>();
    student
        .namedParameters()
        .forEach(
            (n, p) -> {
              if (p.requiresGradient()) {
                out.add(TrainableParameter.of("model." + n, p));
              }
            });
    modules.forEach(
        (mn, m) ->
            m.namedParameters().forEach((n, p) -> out.add(TrainableParameter.of(mn + "." + n, p))));
    return out;
  }
}

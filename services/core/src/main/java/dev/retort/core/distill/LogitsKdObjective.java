package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.train.StepTimer;
import dev.retort.core.model.HfModule;
import java.util.Map;

/**
 * Hinton-style logits distillation: the {@link PredictionLoss} alone (soft cross-entropy with
 * temperature, optionally mixed with the hard-label loss by α).
 */
public final class LogitsKdObjective implements DistillationObjective {
  /** The method name in job files. */
  public static final String NAME = "logits-kd";

  private final PredictionLoss prediction;

  /**
   * Creates the objective.
   *
   * @param prediction the prediction loss
   */
  public LogitsKdObjective(PredictionLoss prediction) {
    this.prediction = prediction;
  }

  /** {@inheritDoc} */
  @Override
  public String name() {
    return NAME;
  }

  /** {@inheritDoc} */
  @Override
  public TeacherSelection teacherSelection() {
    return TeacherSelection.logitsOnly();
  }

  /** {@inheritDoc} */
  @Override
  public Map<String, HfModule> modules() {
    return Map.of();
  }

  /** {@inheritDoc} */
  @Override
  public LossBreakdown compute(
      ParameterStore ps, BertOutputs student, TeacherOutputs teacher, NDArray labels, Phase phase, long step, StepTimer timer) {
    return prediction.compute(student.logits(), teacher.logits(), labels);
  }
}

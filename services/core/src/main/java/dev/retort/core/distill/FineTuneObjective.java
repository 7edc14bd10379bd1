package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.distill.loss.HardCrossEntropy;
import dev.retort.core.distill.loss.RegressionMse;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.train.StepTimer;
import dev.retort.core.model.HfModule;
import java.util.Map;
import java.util.TreeSet;

/**
 * Plain supervised fine-tuning: cross-entropy on gold classes or MSE on gold scores. It trains the
 * teachers, and is the "no KD" baseline a distilled student is compared with.
 */
public final class FineTuneObjective implements DistillationObjective {
  /** The method name in job files. */
  public static final String NAME = "none";

  private final boolean regression;
  private final HardCrossEntropy ce = new HardCrossEntropy();
  private final RegressionMse mse = new RegressionMse(RegressionMse.GOLD);

  /**
   * Creates the objective.
   *
   * @param regression whether the task is regression
   */
  public FineTuneObjective(boolean regression) {
    this.regression = regression;
  }

  /** {@inheritDoc} */
  @Override
  public String name() {
    return NAME;
  }

  /** {@inheritDoc} */
  @Override
  public TeacherSelection teacherSelection() {
    return new TeacherSelection(new TreeSet<>(), new TreeSet<>(), false);
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
    NDArray l = regression ? mse.compute(student.logits(), labels) : ce.compute(student.logits(), labels);
    return new LossBreakdown(l, Map.of(HardCrossEntropy.NAME, l));
  }
}

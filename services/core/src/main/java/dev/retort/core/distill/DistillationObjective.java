package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.train.StepTimer;
import dev.retort.core.model.HfModule;
import dev.retort.core.tensor.StateDict;
import java.util.Map;

/**
 * One distillation method's loss for a single-domain batch: which teacher outputs it needs, which
 * extra modules it trains (projections), and how the terms combine.
 *
 * <p>Implementations: {@link FineTuneObjective} (no KD), {@link LogitsKdObjective}, {@link
 * LayerwiseObjective} (TinyBERT uniform, PKD skip/last, explicit lists) and {@code EmdObjective}
 * (BERT-EMD). HRKD's multi-domain loss has its own entry point.
 */
public interface DistillationObjective {

  /** Returns the method's name as written in job files. */
  String name();

  /** Returns the teacher outputs this method reads. */
  TeacherSelection teacherSelection();

  /** Returns the extra trainable modules by name prefix (e.g. {@code projection}). */
  Map<String, HfModule> modules();

  /**
   * Computes the loss of one batch.
   *
   * @param ps the parameter store of this pass
   * @param student the student's outputs, with hidden states and scores when the method uses them
   * @param teacher the teacher's selected outputs
   * @param labels gold labels, [B] (int64 classes or float32 scores)
   * @param phase which losses to include
   * @param step the global optimiser step this batch belongs to
   * @param timer records time spent waiting for the loss service
   * @return the weighted total and each term
   */
  LossBreakdown compute(
      ParameterStore ps,
      BertOutputs student,
      TeacherOutputs teacher,
      NDArray labels,
      Phase phase,
      long step,
      StepTimer timer);

  /**
   * Called once the optimiser has applied the step whose loss {@link #compute} returned; methods
   * with state that evolves per step (BERT-EMD's layer weights) commit it here.
   *
   * @param step the step just applied
   */
  default void afterStep(long step) {}

  /** Returns the method's state for checkpoints (empty when stateless). */
  default StateDict state() {
    return new StateDict(name());
  }

  /** Restores the state written by {@link #state()}. */
  default void loadState(StateDict state) {}
}

package dev.retort.core.train;

import java.util.Map;

/** Side effects of training (progress bars, metrics, events), kept out of the loop itself. */
public interface TrainingListener {

  /**
   * Called after every optimiser step.
   *
   * @param state the state after the step
   * @param report the step's numbers
   */
  default void onStep(TrainState state, StepReport report) {}

  /**
   * Called after every evaluation.
   *
   * @param state the state at evaluation
   * @param metrics every metric of the task
   * @param primary the value the run selects by
   * @param isBest whether it is the best so far
   */
  default void onEvaluation(TrainState state, Map<String, Double> metrics, double primary, boolean isBest) {}

  /**
   * Called after a resumable checkpoint was written.
   *
   * @param state the checkpointed state
   * @param path where it was written
   */
  default void onCheckpoint(TrainState state, java.nio.file.Path path) {}

  /**
   * Called after a resumable checkpoint was written, with the time the write took; by default
   * forwards to {@link #onCheckpoint(TrainState, java.nio.file.Path)}.
   *
   * @param state the checkpointed state
   * @param path where it was written
   * @param seconds how long writing took
   */
  default void onCheckpoint(TrainState state, java.nio.file.Path path, double seconds) {
    onCheckpoint(state, path);
  }

  /**
   * The numbers of one step.
   *
   * @param losses each unweighted term and {@code total}
   * @param learningRate the learning rate used
   * @param gradNorm the global gradient norm before clipping (NaN if not measured)
   * @param examples training examples in the step
   * @param seconds wall time of the step
   * @param parts wall time per part ({@link StepTimer})
   * @param totalSteps planned steps of the phase
   */
  record StepReport(
      Map<String, Double> losses,
      double learningRate,
      double gradNorm,
      int examples,
      double seconds,
      Map<String, Double> parts,
      long totalSteps) {}
}

package dev.retort.core.train;

import dev.retort.core.RetortException;

/** The loss or the gradient became NaN or infinite; the step was not applied. */
public final class TrainingDivergedException extends RetortException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param phase the training phase
   * @param step the step whose loss diverged
   * @param what which quantity was not finite
   */
  public TrainingDivergedException(String phase, long step, String what) {
    super(
        phase + " step " + step,
        what + " is not finite; the step was not applied and the last good checkpoint is kept",
        "Lower the learning rate, check the data for empty or extreme examples, or raise max-grad-norm clipping");
  }
}

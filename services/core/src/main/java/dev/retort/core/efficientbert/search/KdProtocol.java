package dev.retort.core.efficientbert.search;

import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.AutoBertOptions;

/**
 * How a candidate is trained before it is scored (stages 1 and 2), or how the shared weights of
 * stage 3 are trained: pre-training KD steps, then downstream KD steps with evaluations on the
 * held-out examples.
 *
 * <p>The reference trains each candidate for one epoch of 2% of the pre-training data (lr 1e-4) and
 * then 3 epochs of the first 10% of MNLI (lr 4e-4), batch 64 (methods.md 3.4); here the lengths are
 * step counts.
 *
 * @param pretrainSteps pre-training KD steps (0 skips the phase)
 * @param steps downstream KD steps, at least 1
 * @param batchSize examples per step
 * @param pretrainLr the peak learning rate of pre-training KD
 * @param lr the peak learning rate of downstream KD
 * @param evalEvery downstream steps between held-out evaluations (the last step is always
 *     evaluated)
 * @param options dropout, LayerNorm epsilon and initialiser of the candidates
 */
public record KdProtocol(
    long pretrainSteps,
    long steps,
    int batchSize,
    double pretrainLr,
    double lr,
    long evalEvery,
    AutoBertOptions options) {

  /** Validates the values. */
  public KdProtocol {
    if (pretrainSteps < 0
        || steps < 1
        || batchSize < 1
        || evalEvery < 1
        || !(pretrainLr > 0)
        || !(lr > 0)
        || options == null) {
      throw new RetortException(
          "search training protocol",
          "needs pretrain-steps >= 0, steps >= 1, batch size >= 1, eval-every >= 1 and positive"
              + " learning rates; got "
              + pretrainSteps
              + ", "
              + steps
              + ", "
              + batchSize
              + ", "
              + evalEvery
              + ", "
              + pretrainLr
              + ", "
              + lr,
          "Fix search.pretrain-steps, search.steps-per-candidate or distill.training");
    }
  }

  /**
   * Returns a protocol with the reference's learning rates (1e-4, 4e-4), batch 64 and options.
   *
   * @param pretrainSteps pre-training KD steps
   * @param steps downstream KD steps
   * @return the protocol, evaluating at the end only
   */
  public static KdProtocol of(long pretrainSteps, long steps) {
    return new KdProtocol(pretrainSteps, steps, 64, 1e-4, 4e-4, steps, AutoBertOptions.reference());
  }

  /** Returns a copy with another batch size. */
  public KdProtocol withBatchSize(int b) {
    return new KdProtocol(pretrainSteps, steps, b, pretrainLr, lr, evalEvery, options);
  }

  /** Returns a copy that evaluates every {@code n} downstream steps. */
  public KdProtocol withEvalEvery(long n) {
    return new KdProtocol(pretrainSteps, steps, batchSize, pretrainLr, lr, n, options);
  }

  /** Returns a copy with other model options. */
  public KdProtocol withOptions(AutoBertOptions o) {
    return new KdProtocol(pretrainSteps, steps, batchSize, pretrainLr, lr, evalEvery, o);
  }
}

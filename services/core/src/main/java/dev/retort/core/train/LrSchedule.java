package dev.retort.core.train;

/**
 * A learning-rate multiplier as a function of the optimiser step (0-based: the factor for the
 * first update is {@code factor(0)}).
 */
@FunctionalInterface
public interface LrSchedule {

  /**
   * Returns the multiplier of the base learning rate for update number {@code step}.
   *
   * @param step the number of updates already applied
   * @return the multiplier, usually in [0, 1]
   */
  double factor(long step);

  /** A constant multiplier of 1. */
  static LrSchedule constant() {
    return step -> 1.0;
  }

  /**
   * Linear warm-up from 0 to 1 over {@code warmupSteps}, then linear decay to 0 at {@code
   * totalSteps}, as Hugging Face's {@code get_linear_schedule_with_warmup} (HRKD, EfficientBERT):
   * {@code s < w ? s / w : max(0, (T - s) / (T - w))}.
   *
   * @param warmupSteps w
   * @param totalSteps T
   * @return the schedule
   */
  static LrSchedule linearWarmupDecay(long warmupSteps, long totalSteps) {
    return step -> {
      if (step < warmupSteps) {
        return step / (double) Math.max(1, warmupSteps);
      }
      return Math.max(0.0, (totalSteps - step) / (double) Math.max(1, totalSteps - warmupSteps));
    };
  }

  /**
   * BertAdam's {@code warmup_linear} (BERT-EMD, {@code optimization.py:162-171}): with {@code p =
   * step / t_total}, the factor is {@code p / warmup} while {@code p < warmup}, else {@code
   * max((p - 1) / (warmup - 1), 0)}.
   *
   * @param warmup the warm-up fraction (BERT-EMD: 0.1)
   * @param totalSteps t_total
   * @return the schedule
   */
  static LrSchedule bertWarmupLinear(double warmup, long totalSteps) {
    return step -> {
      double p = step / (double) totalSteps;
      if (p < warmup) {
        return p / warmup;
      }
      return Math.max((p - 1) / (warmup - 1), 0.0);
    };
  }
}

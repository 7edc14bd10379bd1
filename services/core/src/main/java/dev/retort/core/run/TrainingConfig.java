package dev.retort.core.run;

import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;

/**
 * The training keys of one phase ({@code teacher.training} or {@code distill.training}), read
 * once and checked.
 *
 * @param epochs passes over the data
 * @param maxSteps a cap on optimiser steps, or -1
 * @param batchSize examples per optimiser step
 * @param gradAccumulation micro-batches per step
 * @param lr peak learning rate
 * @param optimizer {@code adamw} or {@code bert-adam} (resolved)
 * @param weightDecay decoupled weight decay
 * @param warmup warm-up fraction
 * @param maxGradNorm clipping norm
 * @param evalEvery steps between evaluations (0: epoch ends)
 * @param checkpointEvery steps between checkpoints (0: at evaluations)
 * @param logEvery steps between progress reports
 * @param dropLast whether the last incomplete batch is skipped
 * @param batching {@code fixed} or {@code shuffle}
 */
public record TrainingConfig(
    int epochs,
    long maxSteps,
    int batchSize,
    int gradAccumulation,
    double lr,
    String optimizer,
    double weightDecay,
    double warmup,
    double maxGradNorm,
    long evalEvery,
    long checkpointEvery,
    long logEvery,
    boolean dropLast,
    String batching) {

  /**
   * Reads a phase's training keys.
   *
   * @param job the job
   * @param prefix {@code teacher.training} or {@code distill.training}
   * @param method the distillation method (for {@code optimizer: auto})
   * @return the configuration
   * @throws RetortException for a batch size that grad-accumulation does not divide, epochs or lr
   *     out of range, or grad-accumulation with a trained HRKD graph
   */
  public static TrainingConfig of(ConfigValues job, String prefix, String method) {
    int batch = job.intValue(prefix + ".batch-size");
    int acc = job.intValue(prefix + ".grad-accumulation");
    if (batch < 1 || acc < 1 || batch % acc != 0) {
      throw new RetortException(
          job.source() + " key '" + prefix + ".batch-size'",
          "batch size " + batch + " must be positive and divisible by grad-accumulation " + acc,
          "Pick a batch size that is a multiple of grad-accumulation");
    }
    checkGraphAccumulation(job, prefix, method, acc);
    int epochs = job.intValue(prefix + ".epochs");
    double lr = job.doubleValue(prefix + ".lr");
    if (epochs < 1 || !(lr > 0)) {
      throw new RetortException(job.source() + " key '" + prefix + "'", "epochs must be at least 1 and lr positive", "Fix the values");
    }
    Long max = job.integer(prefix + ".max-steps");
    return new TrainingConfig(
        epochs,
        max == null ? -1 : max,
        batch,
        acc,
        lr,
        Methods.optimizer(method, job.str(prefix + ".optimizer")),
        job.doubleValue(prefix + ".weight-decay"),
        job.doubleValue(prefix + ".warmup"),
        job.doubleValue(prefix + ".max-grad-norm"),
        job.integer(prefix + ".eval-every"),
        job.integer(prefix + ".checkpoint-every"),
        job.integer(prefix + ".log-every"),
        job.bool(prefix + ".drop-last"),
        job.str(prefix + ".batching"));
  }

  /**
   * Rejects a trained HRKD graph with gradient accumulation: the graph backend runs its clip and
   * AdamW step inside every loss evaluation, and the loss is evaluated once per micro-batch with the
   * same step (and dropout seed), so the graph would take {@code acc} optimiser steps per student
   * step. The trainer validates requests through {@link #of}, so such a request is refused before
   * it runs.
   */
  private static void checkGraphAccumulation(ConfigValues job, String prefix, String method, int acc) {
    if (acc > 1 && "distill.training".equals(prefix) && "hrkd".equals(method)
        && "trained".equals(job.str("distill.hrkd.graph"))) {
      throw new RetortException(
          job.source() + " key '" + prefix + ".grad-accumulation'",
          "is " + acc + ", but distill.hrkd.graph trained steps the graph's optimiser on every micro-batch, so the graph"
              + " would take " + acc + " steps per student step",
          "Set grad-accumulation to 1 (with a smaller batch-size if memory is short), or use distill.hrkd.graph frozen");
    }
  }

  /** Returns the examples per micro-batch. */
  public int microBatch() {
    return batchSize / gradAccumulation;
  }

  /**
   * Returns the micro-batches the phase trains on, {@code totalSteps × gradAccumulation}: its last
   * batch position plus one (the plan's positions count micro-batches).
   */
  public long totalBatches(int batchesPerEpoch) {
    return totalSteps(batchesPerEpoch) * gradAccumulation;
  }

  /** Returns the optimiser steps for {@code batchesPerEpoch} micro-batches per epoch. */
  public long totalSteps(int batchesPerEpoch) {
    long steps = (long) epochs * batchesPerEpoch / gradAccumulation;
    return maxSteps > 0 ? Math.min(steps, maxSteps) : steps;
  }
}

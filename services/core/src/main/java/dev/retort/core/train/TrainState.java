package dev.retort.core.train;

/**
 * Where a training run stands: enough, with the weights and optimiser moments, to continue exactly
 * as if it had never stopped.
 *
 * <p>The engine's random generator is not saved: every step reseeds it from {@code (seed, step)},
 * so a resumed run draws the same dropout masks. The data order is a pure function of {@code
 * (seed, epoch)}, so {@code (epoch, batchInEpoch)} fixes the next batch.
 *
 * @param phase the training phase ({@code teacher-finetune}, {@code distill}, ...)
 * @param step optimiser steps applied in this phase
 * @param epoch the epoch of the next batch (0-based)
 * @param batchInEpoch the index of the next batch within its epoch
 * @param seed the run's seed
 * @param examplesSeen training examples consumed in this phase
 * @param bestValue the best dev value so far (NaN if none)
 * @param bestStep the step of the best dev value (-1 if none)
 */
public record TrainState(
    String phase,
    long step,
    int epoch,
    long batchInEpoch,
    long seed,
    long examplesSeen,
    double bestValue,
    long bestStep) {

  /** The state of a phase that has not started. */
  public static TrainState start(String phase, long seed) {
    return new TrainState(phase, 0, 0, 0, seed, 0, Double.NaN, -1);
  }

  /** Returns a copy after one more optimiser step. */
  public TrainState advanced(int nextEpoch, long nextBatchInEpoch, long examples) {
    return new TrainState(phase, step + 1, nextEpoch, nextBatchInEpoch, seed, examplesSeen + examples, bestValue, bestStep);
  }

  /** Returns a copy with a new best dev value. */
  public TrainState withBest(double value, long atStep) {
    return new TrainState(phase, step, epoch, batchInEpoch, seed, examplesSeen, value, atStep);
  }

  /** Returns the engine seed of a step: a mix of the run seed, the phase and the step. */
  public long stepSeed() {
    long h = seed * 0x9E3779B97F4A7C15L + phase.hashCode();
    h ^= (step + 1) * 0xBF58476D1CE4E5B9L;
    h ^= h >>> 31;
    return h;
  }
}

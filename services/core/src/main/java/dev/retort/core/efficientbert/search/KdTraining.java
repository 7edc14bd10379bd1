package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.data.Batch;
import dev.retort.core.data.BatchOrder;
import dev.retort.core.data.Batcher;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.model.HfModule;
import dev.retort.core.text.LengthBuckets;
import dev.retort.core.train.AdamW;
import dev.retort.core.train.BatcherPlan;
import dev.retort.core.train.LrSchedule;
import dev.retort.core.train.StepFunction;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainableParameter;
import dev.retort.core.train.TrainingLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs a fixed number of optimiser steps on one model with EfficientBERT's optimiser (methods.md
 * 3.5): AdamW with weight decay 0.01 (not on biases and LayerNorm weights), 10% linear warm-up then
 * linear decay, global gradient clipping at 1.0. Batches are reshuffled every epoch from the seed
 * and the last incomplete batch is dropped.
 */
public final class KdTraining {
  private KdTraining() {}

  /**
   * Trains.
   *
   * @param phase the phase name (it also seeds the steps' dropout)
   * @param model the trained model; every parameter that requires a gradient is updated
   * @param step the loss of one batch
   * @param data the training examples
   * @param buckets the padded lengths, or null for the standard ones
   * @param batchSize examples per step
   * @param steps optimiser steps
   * @param lr the peak learning rate
   * @param seed seeds the data order and the steps
   * @param manager the model's manager
   * @param evaluation scores the model on a labelled split (the held-out examples), or null
   * @param evalEvery steps between evaluations (the last step is always evaluated)
   * @param cancelled polled before every step
   * @return the final state; {@link TrainState#bestValue()} is the best evaluation
   * @throws RetortException if there are fewer examples than one batch
   */
  public static TrainState run(
      String phase,
      HfModule model,
      StepFunction<Batch> step,
      EncodedDataset data,
      LengthBuckets buckets,
      int batchSize,
      long steps,
      double lr,
      long seed,
      NDManager manager,
      TrainingLoop.Evaluation evaluation,
      long evalEvery,
      BooleanSupplier cancelled) {
    if (data.size() < batchSize) {
      throw new RetortException(
          data.name(),
          "only " + data.size() + " examples for batches of " + batchSize,
          "Use more data or a smaller batch size");
    }
    Batcher.Builder b =
        Batcher.builder()
            .setData(data)
            .setBatchSize(batchSize)
            .optOrder(BatchOrder.RESHUFFLE_EACH_EPOCH)
            .optSeed(seed)
            .optDropLast(true);
    if (buckets != null) {
      b.optBuckets(buckets);
    }
    List<TrainableParameter> params = new ArrayList<>();
    model
        .namedParameters()
        .forEach(
            (n, p) -> {
              if (p.requiresGradient()) {
                params.add(TrainableParameter.of("model." + n, p));
              }
            });
    try (AdamW optimizer = AdamW.builder().setManager(manager).optWeightDecay(0.01f).build()) {
      TrainingLoop.Builder<Batch> loop =
          TrainingLoop.<Batch>builder()
              .setPlan(new BatcherPlan(b.build()))
              .setStep(step)
              .setParameters(params)
              .setOptimizer(optimizer)
              .setLearningRate(lr)
              .setTotalSteps(steps)
              .setManager(manager)
              .optSchedule(LrSchedule.linearWarmupDecay((long) (0.1 * steps), steps))
              .optMaxGradNorm(1.0)
              .optLogEvery(0)
              .optCancelled(cancelled);
      if (evaluation != null) {
        loop.optEvaluation(evaluation, Math.max(1, evalEvery));
      }
      return loop.build().run(TrainState.start(phase, seed));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // no checkpoint sink is set, so nothing writes
    }
  }
}

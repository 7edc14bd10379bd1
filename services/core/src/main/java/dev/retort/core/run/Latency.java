package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.Taps;
import java.util.Arrays;

/** Measures CPU inference latency: the median of batch-1 forward passes at a fixed length. */
public final class Latency {
  private Latency() {}

  /**
   * Measures a model.
   *
   * @param model the model
   * @param length the sequence length
   * @param warmup untimed passes first (the engine optimises per shape)
   * @param runs timed passes
   * @return the median latency in milliseconds
   */
  public static double medianMillis(BertForSequenceClassification model, int length, int warmup, int runs) {
    return medianMillis(
        (ps, in) -> model.forward(ps, in, Taps.NONE, false).logits(), length, warmup, runs);
  }

  /**
   * Measures any sequence classifier given as its forward pass.
   *
   * @param forward runs the model on a batch and returns its logits
   * @param length the sequence length
   * @param warmup untimed passes first
   * @param runs timed passes
   * @return the median latency in milliseconds
   */
  public static double medianMillis(
      java.util.function.BiFunction<ParameterStore, BertInput, ai.djl.ndarray.NDArray> forward,
      int length, int warmup, int runs) {
    Torch.noGradOnThisThread();
    int[][] ids = new int[1][length];
    int[][] types = new int[1][length];
    int[][] mask = new int[1][length];
    for (int t = 0; t < length; t++) {
      ids[0][t] = t == 0 ? 101 : t == length - 1 ? 102 : 1000 + t;
      mask[0][t] = 1;
    }
    double[] times = new double[runs];
    try (NDManager m = NDManager.newBaseManager()) {
      for (int i = 0; i < warmup + runs; i++) {
        try (NDManager s = m.newSubManager()) {
          BertInput in = BertInput.of(s, ids, types, mask);
          long t0 = System.nanoTime();
          forward.apply(new ParameterStore(s, false), in).toFloatArray();
          if (i >= warmup) {
            times[i - warmup] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
    }
    Arrays.sort(times);
    return times[runs / 2];
  }
}

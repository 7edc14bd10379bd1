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
    double[] times = new double[runs];
    try (NDManager m = NDManager.newBaseManager()) {
      for (int i = 0; i < warmup + runs; i++) {
        double ms = timedPass(forward, length, m);
        if (i >= warmup) {
          times[i - warmup] = ms;
        }
      }
    }
    return median(times);
  }

  /**
   * Two models' latencies measured together, for a speed-up that compares like with like.
   *
   * @param firstMillis the first model's median latency
   * @param secondMillis the second model's
   */
  public record Pair(double firstMillis, double secondMillis) {}

  /**
   * Measures two models together: their passes alternate, first then second, then second then
   * first, and so on, so that a machine that slows down or speeds up meanwhile (other processes
   * on the same cores) does so for both, and the ratio of the two medians stays fair. Two
   * latencies measured apart, one while the cores were busy and one while they were idle, can be
   * off by ten times.
   *
   * @param first the first model
   * @param second the second model
   * @param length the sequence length
   * @param warmup untimed passes of each model first
   * @param runs timed passes of each model
   * @return both medians
   */
  public static Pair pairedMedianMillis(BertForSequenceClassification first,
      BertForSequenceClassification second, int length, int warmup, int runs) {
    return pairedMedianMillis((ps, in) -> first.forward(ps, in, Taps.NONE, false).logits(),
        (ps, in) -> second.forward(ps, in, Taps.NONE, false).logits(), length, warmup, runs);
  }

  /**
   * Measures two sequence classifiers given as their forward passes, as {@link
   * #pairedMedianMillis(BertForSequenceClassification, BertForSequenceClassification, int, int,
   * int)} does.
   *
   * @param first runs the first model on a batch and returns its logits
   * @param second the same for the second model
   * @param length the sequence length
   * @param warmup untimed passes of each first
   * @param runs timed passes of each
   * @return both medians
   */
  public static Pair pairedMedianMillis(
      java.util.function.BiFunction<ParameterStore, BertInput, ai.djl.ndarray.NDArray> first,
      java.util.function.BiFunction<ParameterStore, BertInput, ai.djl.ndarray.NDArray> second,
      int length, int warmup, int runs) {
    Torch.noGradOnThisThread();
    double[] a = new double[runs];
    double[] b = new double[runs];
    try (NDManager m = NDManager.newBaseManager()) {
      for (int i = 0; i < warmup + runs; i++) {
        boolean firstFirst = i % 2 == 0;
        double x = timedPass(firstFirst ? first : second, length, m);
        double y = timedPass(firstFirst ? second : first, length, m);
        if (i >= warmup) {
          a[i - warmup] = firstFirst ? x : y;
          b[i - warmup] = firstFirst ? y : x;
        }
      }
    }
    return new Pair(median(a), median(b));
  }

  /** Runs one batch-1 pass of real-looking ids ([CLS] ... [SEP], no padding); returns its ms. */
  private static double timedPass(
      java.util.function.BiFunction<ParameterStore, BertInput, ai.djl.ndarray.NDArray> forward,
      int length, NDManager manager) {
    int[][] ids = new int[1][length];
    int[][] types = new int[1][length];
    int[][] mask = new int[1][length];
    for (int t = 0; t < length; t++) {
      ids[0][t] = t == 0 ? 101 : t == length - 1 ? 102 : 1000 + t;
      mask[0][t] = 1;
    }
    try (NDManager s = manager.newSubManager()) {
      BertInput in = BertInput.of(s, ids, types, mask); // [1, L]
      long t0 = System.nanoTime();
      forward.apply(new ParameterStore(s, false), in).toFloatArray();
      return (System.nanoTime() - t0) / 1e6;
    }
  }

  private static double median(double[] times) {
    double[] sorted = times.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}

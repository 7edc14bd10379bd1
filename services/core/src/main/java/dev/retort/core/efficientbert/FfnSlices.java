package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * The two weight pairs of one stacked FFN, sliced from full-size storage to inner width m.
 *
 * <p>Each stacked FFN stores {@code dense1} and {@code dense2} at full inner width I (= H for
 * EfficientBERT) in PyTorch layout, so that sub-networks share the supernet's weights. A layer of
 * size {@code linearA_B} uses the first {@code m = int(I / B)} inner units (reference {@code
 * models/auto_bert.py}):
 *
 * <pre>
 * wb1 = (dense1.weight[:m, :]^T, dense1.bias[:m])   // W1 [H, m], b1 [m]
 * wb2 = (dense2.weight[:, :m]^T, dense2.bias)       // W2 [m, H], b2 [H]
 * </pre>
 *
 * <p>Slicing and transposing are views in the autograd graph, so gradients reach the full-size
 * arrays.
 *
 * @param wb1 the first pair, {@code W1 [H, m]}, {@code b1 [m]}
 * @param wb2 the second pair, {@code W2 [m, H]}, {@code b2 [H]}
 */
public record FfnSlices(LinearWeights wb1, LinearWeights wb2) {

  /**
   * Slices full-size PyTorch-layout FFN weights.
   *
   * @param dense1Weight {@code [I, H]}
   * @param dense1Bias {@code [I]}
   * @param dense2Weight {@code [H, I]}
   * @param dense2Bias {@code [H]}
   * @param inner m, 1 .. I
   * @return the sliced pairs
   * @throws IllegalArgumentException if the shapes do not fit together or m is out of range
   */
  public static FfnSlices slice(
      NDArray dense1Weight,
      NDArray dense1Bias,
      NDArray dense2Weight,
      NDArray dense2Bias,
      int inner) {
    long full = dense1Weight.getShape().get(0);
    long hidden = dense1Weight.getShape().get(1);
    if (dense2Weight.getShape().get(0) != hidden || dense2Weight.getShape().get(1) != full) {
      throw new IllegalArgumentException(
          "dense1 weight "
              + dense1Weight.getShape()
              + " and dense2 weight "
              + dense2Weight.getShape()
              + " are not [I, H] and [H, I]");
    }
    if (inner < 1 || inner > full) {
      throw new IllegalArgumentException("inner width " + inner + " is outside 1.." + full);
    }
    NDArray w1 = dense1Weight.get(new NDIndex(":{}, :", inner)).transpose(); // [H, m]
    NDArray b1 = dense1Bias.get(new NDIndex(":{}", inner)); // [m]
    NDArray w2 = dense2Weight.get(new NDIndex(":, :{}", inner)).transpose(); // [m, H]
    return new FfnSlices(new LinearWeights(w1, b1), new LinearWeights(w2, dense2Bias));
  }
}

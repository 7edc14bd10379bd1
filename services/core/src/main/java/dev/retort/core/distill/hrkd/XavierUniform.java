package dev.retort.core.distill.hrkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * {@code torch.nn.init.xavier_uniform_(w, gain)}: U(−b, b) with {@code b = gain · sqrt(6 / (fan_in
 * + fan_out))}, where, as in PyTorch, {@code fan_in = size(1) · receptive}, {@code fan_out =
 * size(0) · receptive} and {@code receptive} is the product of the dimensions after the second.
 * HRKD's GAT initialises {@code W} and {@code a} this way with gain 1.414; the stacked
 * {@code w_attn} tensors take it per slice ({@link PerSliceXavierUniform}).
 */
public final class XavierUniform implements Initializer {
  private final double gain;

  /**
   * Creates the initialiser.
   *
   * @param gain the gain
   */
  public XavierUniform(double gain) {
    this.gain = gain;
  }

  /** {@inheritDoc} */
  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    double bound = bound(shape.getShape(), gain);
    return manager.randomUniform((float) -bound, (float) bound, shape, dataType);
  }

  /** Returns the bound b for a shape, following PyTorch's fan computation. */
  static double bound(long[] shape, double gain) {
    if (shape.length < 2) {
      throw new IllegalArgumentException("xavier needs at least 2 dimensions");
    }
    long receptive = 1;
    for (int i = 2; i < shape.length; i++) {
      receptive *= shape[i];
    }
    double fanIn = shape[1] * (double) receptive;
    double fanOut = shape[0] * (double) receptive;
    return gain * Math.sqrt(6.0 / (fanIn + fanOut));
  }
}

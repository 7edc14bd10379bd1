package dev.retort.core.distill.hrkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Arrays;

/**
 * {@code torch.nn.init.xavier_uniform_(w, gain)}: U(−b, b) with {@code b = gain · sqrt(6 / (fan_in
 * + fan_out))}, where, as in PyTorch, {@code fan_in = size(1) · receptive}, {@code fan_out =
 * size(0) · receptive} and {@code receptive} is the product of the dimensions after the second.
 * HRKD's graph initialises every weight this way with gain 1.414.
 *
 * <p>{@link #perSlice} initialises a stack of weights as {@code for i: xavier_uniform_(w[i],
 * gain)}, the way HRKD's {@code MetaGraph._init_weights} initialises {@code w_attn_1} [M+1, H, H]
 * and {@code w_attn_2} [M+1, D, H, H]: the fans come from one slice's shape, so the bound is {@code
 * gain · sqrt(6 / 2H)} for {@code w_attn_1[i]} and {@code gain · sqrt(6 / (H·H + D·H))} for {@code
 * w_attn_2[i]}. Every slice has the same bound, so one draw over the whole tensor is distributed as
 * one draw per slice.
 */
public final class XavierUniform implements Initializer {
  private final double gain;
  private final boolean perSlice;

  /**
   * Creates the initialiser of one weight.
   *
   * @param gain the gain
   */
  public XavierUniform(double gain) {
    this(gain, false);
  }

  private XavierUniform(double gain, boolean perSlice) {
    this.gain = gain;
    this.perSlice = perSlice;
  }

  /**
   * Returns the initialiser of a stack of weights, each slice {@code w[i]} with its own fans.
   *
   * @param gain the gain
   * @return the initialiser
   */
  public static XavierUniform perSlice(double gain) {
    return new XavierUniform(gain, true);
  }

  /** {@inheritDoc} */
  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    long[] dims = shape.getShape();
    if (perSlice) {
      if (dims.length < 3) {
        throw new IllegalArgumentException("per-slice xavier needs slices of at least 2 dimensions");
      }
      dims = Arrays.copyOfRange(dims, 1, dims.length);
    }
    double bound = bound(dims, gain);
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

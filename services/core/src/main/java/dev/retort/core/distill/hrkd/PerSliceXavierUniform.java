package dev.retort.core.distill.hrkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Arrays;

/**
 * A stack of Xavier-uniform weights: {@code for i: torch.nn.init.xavier_uniform_(w[i], gain)}, as
 * HRKD's {@code MetaGraph._init_weights} initialises {@code w_attn_1} [M+1, H, H] and {@code
 * w_attn_2} [M+1, D, H, H].
 *
 * <p>The fans come from one slice's shape, not the whole tensor's: for {@code w_attn_1[i]} [H, H]
 * the bound is {@code gain · sqrt(6 / 2H)}, for {@code w_attn_2[i]} [D, H, H] it is {@code gain ·
 * sqrt(6 / (H·H + D·H))} (PyTorch's fans of a 3-d tensor). Every slice has the same shape and so the
 * same bound, so one uniform draw over the whole tensor is distributed as one draw per slice.
 */
public final class PerSliceXavierUniform implements Initializer {
  private final double gain;

  /**
   * Creates the initialiser.
   *
   * @param gain the gain
   */
  public PerSliceXavierUniform(double gain) {
    this.gain = gain;
  }

  /** {@inheritDoc} */
  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    double bound = bound(shape.getShape(), gain);
    return manager.randomUniform((float) -bound, (float) bound, shape, dataType);
  }

  /** Returns the bound b of every slice {@code w[i]} of a tensor of this shape. */
  static double bound(long[] shape, double gain) {
    if (shape.length < 3) {
      throw new IllegalArgumentException("per-slice xavier needs slices of at least 2 dimensions");
    }
    return XavierUniform.bound(Arrays.copyOfRange(shape, 1, shape.length), gain);
  }
}

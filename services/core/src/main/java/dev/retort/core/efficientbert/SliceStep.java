package dev.retort.core.efficientbert;

import ai.djl.ndarray.types.Shape;
import dev.retort.core.RetortException;
import dev.retort.core.tensor.HostTensor;
import java.util.Arrays;

/**
 * One tensor of a weight-inheritance plan: the target tensor is the leading corner of a source
 * tensor, {@code target = source[:t0, :t1, ...]} with {@code t} the target shape.
 *
 * <p>Examples for the 6L-540 supernet to 6L-360: {@code encoder.0.attention.self.query.weight}
 * [540, 540] to [360, 360]; {@code encoder.0.all_ffn.3.dense1.weight} [540, 540] to [180, 360] for
 * {@code linear4_2}; {@code fit_dense.weight} [768, 540] to [768, 360].
 *
 * @param target the target tensor's name
 * @param source the source tensor's name
 * @param sourceShape the source's shape
 * @param targetShape the target's shape, no larger than the source's in any dimension
 */
public record SliceStep(String target, String source, Shape sourceShape, Shape targetShape) {

  /** Checks that the target fits in the source. */
  public SliceStep {
    boolean fits = sourceShape.dimension() == targetShape.dimension();
    for (int i = 0; fits && i < targetShape.dimension(); i++) {
      fits = targetShape.get(i) <= sourceShape.get(i);
    }
    if (!fits) {
      throw new RetortException(
          "weight inheritance " + source + " -> " + target,
          "the target shape " + targetShape + " does not fit in the source shape " + sourceShape,
          "The target model must be no wider than the supernet in every dimension");
    }
  }

  /** Returns whether the target is the whole source (a plain copy). */
  public boolean isCopy() {
    return sourceShape.equals(targetShape);
  }

  /**
   * Cuts the leading corner out of a source tensor.
   *
   * @param tensor the source tensor, of {@link #sourceShape()}
   * @return the target tensor, float32, of {@link #targetShape()}
   * @throws RetortException if the tensor does not have the planned shape
   */
  public HostTensor apply(HostTensor tensor) {
    if (!Arrays.equals(tensor.shape(), sourceShape.getShape())) {
      throw new RetortException(
          "supernet tensor '" + source + "'",
          "has shape " + tensor.shapeString() + " but the supernet declares " + sourceShape,
          "Load weights saved from a supernet of the configured dimensions");
    }
    long[] from = sourceShape.getShape();
    long[] to = targetShape.getShape();
    float[] src = tensor.toFloats();
    float[] dst = new float[Math.toIntExact(HostTensor.numel(to))];
    if (dst.length > 0) {
      copyCorner(src, from, dst, to);
    }
    return HostTensor.ofFloats(to, dst);
  }

  /** Copies {@code src[:to0, :to1, ...]} row by row (rows along the last axis). */
  private static void copyCorner(float[] src, long[] from, float[] dst, long[] to) {
    int rank = to.length;
    if (rank == 0) {
      dst[0] = src[0];
      return;
    }
    int rowLength = (int) to[rank - 1];
    int rows = dst.length / Math.max(rowLength, 1);
    int[] index = new int[rank - 1]; // position of the current row in the leading axes
    for (int r = 0; r < rows; r++) {
      long offset = 0;
      for (int a = 0; a < rank - 1; a++) {
        offset = offset * from[a] + index[a];
      }
      System.arraycopy(src, (int) (offset * from[rank - 1]), dst, r * rowLength, rowLength);
      for (int a = rank - 2; a >= 0; a--) {
        if (++index[a] < to[a]) {
          break;
        }
        index[a] = 0;
      }
    }
  }
}

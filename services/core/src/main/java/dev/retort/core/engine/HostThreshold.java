package dev.retort.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;

/**
 * Zeroes the elements at or below a threshold in one pass on the host: {@code y = x · (x > t)}.
 * The attention losses' masking rule ({@code mask(x) = 0 if x ≤ −100 else x}) is the user.
 *
 * <p>As engine ops the rule is a comparison, a cast and a product: three passes over the tensor,
 * each writing a fresh array. For one {@code [32, 12, 128, 128]} score tensor that is about 14 ms
 * on the benchmark's 2 cores, and the layer-mapped attention terms (TinyBERT, PKD, HRKD,
 * EfficientBERT) mask a student and a teacher tensor per mapped layer. Here the tensor is read once, in stripes on
 * {@link HostLoop}'s threads, and the result written once. (BERT-EMD's terms do not write masked
 * copies at all: they mask each stripe as they read it.)
 *
 * <p>These results carry no autograd graph: {@link #zeroAtOrBelow} is for constants (the teacher's
 * scores), and a tensor that needs gradients (the student's) is multiplied by {@link
 * #indicatorAbove}, a constant mask, with an engine {@code mul}. Both give the engine-op form's
 * values bit for bit, its signed zeros and its NaN for NaN or infinite inputs included.
 */
public final class HostThreshold {
  private HostThreshold() {}

  /**
   * Returns a new array {@code x · (x > t)} ({@code x} where {@code x > t}, else {@code x · 0}),
   * without a graph, or null when {@code x} has no host
   * view ({@link Torch#floatView}: another device or type, strided, empty); the caller then uses
   * engine ops.
   *
   * @param x the input, any shape
   * @param t the threshold
   * @return the masked copy, same shape, or null
   */
  public static NDArray zeroAtOrBelow(NDArray x, float t) {
    return map(x, t, false);
  }

  /**
   * Returns a new array {@code x > t ? 1 : 0}, without a graph, or null when {@code x} has no host
   * view. {@code x · indicatorAbove(x, t)} is the masked tensor, with the gradient masked too.
   *
   * @param x the input, any shape
   * @param t the threshold
   * @return the indicator, same shape, or null
   */
  public static NDArray indicatorAbove(NDArray x, float t) {
    return map(x, t, true);
  }

  private static NDArray map(NDArray x, float t, boolean indicator) {
    FloatBuffer in = Torch.floatView(x);
    if (in == null) {
      return null;
    }
    NDArray y = x.getManager().create(x.getShape(), DataType.FLOAT32, x.getDevice());
    FloatBuffer out = Torch.floatView(y);
    if (out == null) {
      y.close();
      return null;
    }
    apply(in, out, t, indicator, Torch.intraOpThreads());
    return y;
  }

  /**
   * Writes {@code out[k] = indicator ? (in[k] > t ? 1 : 0) : in[k] · (in[k] > t)} on up to
   * {@code threads} threads. Package-private for tests.
   */
  static void apply(FloatBuffer in, FloatBuffer out, float t, boolean indicator, int threads) {
    HostLoop.forStripes(
        in.capacity(),
        threads,
        () -> new float[HostLoop.STRIPE],
        (stripe, start, len) -> {
          in.get(start, stripe, 0, len);
          if (indicator) {
            for (int j = 0; j < len; j++) {
              stripe[j] = stripe[j] > t ? 1f : 0f;
            }
          } else {
            for (int j = 0; j < len; j++) {
              float v = stripe[j];
              // the engine form's x · 0: −0 for negatives, NaN for ±∞
              stripe[j] = v > t ? v : v * 0f;
            }
          }
          out.put(start, stripe, 0, len);
        });
  }
}

package dev.retort.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import java.nio.FloatBuffer;

/**
 * Inverted dropout, {@code x · mask} with {@code mask = keep / (1 − p)} and {@code keep ~
 * Bernoulli(1 − p)}, as {@code torch.nn.functional.dropout} computes it, but with the mask drawn on
 * the host.
 *
 * <p>Why: on CPUs that are not Intel's, libtorch draws {@code bernoulli_} one element at a time on
 * one thread (its MKL path is taken only on Intel). On the benchmark's AMD EPYC that is about 9 ns
 * an element: 57 ms for one layer's {@code [32, 12, 128, 128]} attention probabilities, 0.3 s of a
 * 4-layer student's 0.58 s forward pass. Here the mask is a counter-based hash of the element's
 * index, filled in stripes on {@link HostLoop}'s threads into the mask array's own memory, and
 * the product is an engine {@code mul}, so autograd sees the same graph as torch's dropout: the
 * gradient is {@code grad · mask}. The same probabilities take about 12 ms, the product included.
 *
 * <p>Determinism: each call draws one 62-bit key from the engine's global generator, so the masks
 * follow the training loop's per-step reseeding ({@link Torch#seed}) and a resumed run draws the
 * same masks as an uninterrupted one. Element {@code k}'s mask depends only on the key and {@code
 * k}, not on the thread count. The masks differ from torch's own (another generator); their law is
 * the same: each element is kept independently with probability {@code 1 − p}, to within {@code
 * 2⁻²⁵} (24-bit uniforms, as torch's float uniforms).
 *
 * <p>Arrays that are not float32 on the CPU take DJL's {@code Dropout.dropout} (torch's kernel).
 */
public final class HostDropout {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private HostDropout() {}

  /**
   * Applies dropout.
   *
   * @param x the input, any shape
   * @param p the probability of zeroing an element, in {@code [0, 1]}
   * @param training whether dropout is active; when false, or when {@code p} is 0, {@code x} is
   *     returned as it is
   * @return {@code x · mask}, same shape as {@code x}
   * @throws IllegalArgumentException when {@code p} is outside {@code [0, 1]}
   */
  public static NDArray apply(NDArray x, float p, boolean training) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
    }
    if (!training || p == 0) {
      return x;
    }
    if (p == 1 || x.getDataType() != DataType.FLOAT32) {
      return Dropout.dropout(x, p, true).singletonOrThrow();
    }
    NDArray mask = x.getManager().create(x.getShape(), DataType.FLOAT32, x.getDevice());
    FloatBuffer view = Torch.floatView(mask);
    if (view == null) { // not on the CPU, or empty
      mask.close();
      return Dropout.dropout(x, p, true).singletonOrThrow();
    }
    fill(view, drawKey(x), p, Torch.intraOpThreads());
    NDArray out = x.mul(mask);
    mask.close(); // the product's graph keeps the mask's storage for the backward pass
    return out;
  }

  /** Draws a key from the engine's global generator (the one {@link Torch#seed} reseeds). */
  private static long drawKey(NDArray x) {
    try (NDArray k = x.getManager().randomInteger(0, 1L << 62, new Shape(), DataType.INT64)) {
      return k.getLong();
    }
  }

  /**
   * Fills {@code mask} with {@code 1/(1−p)} where element k's 24-bit uniform {@code u_k} is at
   * least {@code round(p·2²⁴)}, and 0 elsewhere.
   *
   * <p>The uniforms come from a counter-based generator, so any thread can draw any element: the
   * pair {@code (2t, 2t+1)} takes bits 8–31 and 40–63 of SplitMix64's finaliser applied to {@code
   * key + (2t+1)·φ} (the first {@code nextLong()} of {@code new SplittableRandom(key + 2t·φ)}).
   * One hash serves two elements, and the stripes are filled in a plain {@code float[]} that the
   * loop writes without branches, then copied into the mask. Package-private for tests.
   *
   * @param mask the mask's memory, [n]
   * @param key the call's key
   * @param p the drop probability, in {@code (0, 1)}
   * @param threads the most threads to fill on; the result does not depend on it
   */
  static void fill(FloatBuffer mask, long key, float p, int threads) {
    int threshold = (int) Math.round((double) p * (1 << 24)); // keep when u24 >= threshold
    float scale = 1f / (1f - p); // torch: bernoulli(1 − p).div_(1 − p), in float
    HostLoop.forStripes(
        mask.capacity(),
        threads,
        () -> new float[HostLoop.STRIPE + 1], // + 1: an odd last stripe's pair writes one more
        (stripe, start, len) -> {
          long base = key + (long) start * GOLDEN;
          for (int j = 0; j < len; j += 2) { // STRIPE is even; a short last stripe may be odd
            long z = base + (j + 1) * GOLDEN;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            int lo = (int) (z >>> 8) & 0xFFFFFF;
            int hi = (int) (z >>> 40);
            stripe[j] = scale * (((lo - threshold) >>> 31) ^ 1); // 1 when lo >= threshold
            stripe[j + 1] = scale * (((hi - threshold) >>> 31) ^ 1);
          }
          mask.put(start, stripe, 0, len);
        });
  }
}

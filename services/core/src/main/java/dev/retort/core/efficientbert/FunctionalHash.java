package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deduplicates candidate models by what they compute rather than how they are written (reference
 * {@code get_hash_key_acc}, {@code utils/action_space.py:31-50}).
 *
 * <p>The candidate's per-layer expressions are chained, {@code out_0 = x}, {@code out_l =
 * f_l(out_{l-1}, wb1_l, wb2_l)}, on a fixed input {@code x ~ N(0, 1)} of shape {@code [B, L, H]}
 * (reference {@code [10, 128, H]}) with fixed weights {@code W ~ N(0, 1)} of shape {@code [H, H]}
 * and {@code b ~ N(0, 1)} of shape {@code [H]}, drawn per (layer, {@code A_B}) so that different
 * sizes hash differently; generic stage-2 linears use the {@code 1_1} weights, as the reference
 * does. No residual, LayerNorm or stacking is applied. The key is {@code round(sum(out_last), 2)}.
 *
 * <p>The fixed arrays come from {@code java.util.Random} (whose Gaussian sequence is specified by
 * the JDK) seeded from {@link Builder#optSeed(long)}, and the sum is taken in double in a fixed
 * order on the host, so keys are reproducible across processes and machines. They do not equal the
 * reference's, which come from PyTorch's generator. Large outputs can overflow to infinity or NaN;
 * such candidates share a key, as in the reference.
 */
public final class FunctionalHash {
  /** The reference's batch size for the fixed input. */
  public static final int DEFAULT_BATCH = 10;

  /** The reference's sequence length for the fixed input ({@code max_seq_len}). */
  public static final int DEFAULT_SEQ_LENGTH = 128;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final int hidden;
  private final int batch;
  private final int seqLength;
  private final long seed;
  private final Map<Long, float[][]> weightCache;
  private float[] input;

  private FunctionalHash(Builder b) {
    this.hidden = b.hidden;
    this.batch = b.batch;
    this.seqLength = b.seqLength;
    this.seed = b.seed;
    int capacity = b.cacheEntries;
    this.weightCache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, float[][]> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the functional key of a candidate, computed with a temporary manager.
   *
   * @param layers one expression per layer, layer 1 first
   * @return {@code round(sum(out), 2)}, half-even as Python's {@code round}
   */
  public double hash(List<Expr> layers) {
    try (NDManager manager = NDManager.newBaseManager()) {
      return hash(manager, layers);
    }
  }

  /**
   * Returns the functional key of a candidate; the arrays it creates are freed before it returns.
   *
   * @param manager the parent manager (a sub-manager is used and closed)
   * @param layers one expression per layer, layer 1 first
   * @return {@code round(sum(out), 2)}, half-even as Python's {@code round}
   */
  public synchronized double hash(NDManager manager, List<Expr> layers) {
    double sum = 0;
    try (NDManager sub = manager.newSubManager()) {
      NDArray out = sub.create(fixedInput(), new Shape(batch, seqLength, hidden)); // [B, L, H]
      for (int layer = 0; layer < layers.size(); layer++) {
        Expr expr = layers.get(layer);
        float[][] w = fixedWeights(layer, sizeId(expr));
        LinearWeights wb1 =
            new LinearWeights(
                sub.create(w[0], new Shape(hidden, hidden)), sub.create(w[2], new Shape(hidden)));
        LinearWeights wb2 =
            new LinearWeights(
                sub.create(w[1], new Shape(hidden, hidden)), sub.create(w[3], new Shape(hidden)));
        out = ExprEvaluator.evaluate(expr, out, wb1, wb2); // [B, L, H]
      }
      for (float v : out.toFloatArray()) {
        sum += v;
      }
    }
    return round2(sum);
  }

  /**
   * Rounds to 2 decimals, half-even on the exact binary value, as Python's {@code round(v, 2)}.
   *
   * @param v any double
   * @return the rounded value; NaN and infinities unchanged
   */
  static double round2(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
  }

  private static int sizeId(Expr expr) {
    List<LinearSize> sizes = ExprTrees.linearSizes(expr);
    if (sizes.isEmpty() || sizes.get(0).isGeneric()) {
      return LinearSize.of(1, 1).id();
    }
    return sizes.get(0).id();
  }

  private float[] fixedInput() {
    if (input == null) {
      input = gaussians(new Random(seed), batch * seqLength * hidden);
    }
    return input;
  }

  /** Returns {W1, W2, b1, b2} of one (layer, size), row-major {@code [H, H]} and {@code [H]}. */
  private float[][] fixedWeights(int layer, int sizeId) {
    long key = (long) layer * LinearSize.all().size() + sizeId;
    return weightCache.computeIfAbsent(
        key,
        k -> {
          Random rnd = new Random(seed + GOLDEN * (k + 1));
          int hh = hidden * hidden;
          return new float[][] {
            gaussians(rnd, hh), gaussians(rnd, hh), gaussians(rnd, hidden), gaussians(rnd, hidden)
          };
        });
  }

  private static float[] gaussians(Random rnd, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) rnd.nextGaussian();
    }
    return out;
  }

  /** Builds a {@link FunctionalHash}; the hidden size is required. */
  public static final class Builder {
    private int hidden = -1;
    private int batch = DEFAULT_BATCH;
    private int seqLength = DEFAULT_SEQ_LENGTH;
    private long seed = 20210915L;
    private int cacheEntries = 24;

    private Builder() {}

    /** Sets H, the model's hidden size. */
    public Builder setHiddenSize(int h) {
      this.hidden = h;
      return this;
    }

    /** Sets the fixed input's batch size (default 10); smaller values make tests fast. */
    public Builder optBatchSize(int b) {
      this.batch = b;
      return this;
    }

    /** Sets the fixed input's sequence length (default 128). */
    public Builder optSeqLength(int l) {
      this.seqLength = l;
      return this;
    }

    /** Sets the seed of the fixed input and weights; keys are only comparable for equal seeds. */
    public Builder optSeed(long s) {
      this.seed = s;
      return this;
    }

    /**
     * Sets how many (layer, size) weight sets stay cached on the host (default 24, about 56 MB at H
     * 540); the rest are regenerated on demand.
     */
    public Builder optCacheEntries(int n) {
      this.cacheEntries = n;
      return this;
    }

    /**
     * Builds the hasher.
     *
     * @return the hasher
     * @throws IllegalArgumentException if a size is not positive
     */
    public FunctionalHash build() {
      if (hidden <= 0 || batch <= 0 || seqLength <= 0 || cacheEntries < 0) {
        throw new IllegalArgumentException(
            "hidden size, batch and sequence length must be positive; got H="
                + hidden
                + ", B="
                + batch
                + ", L="
                + seqLength);
      }
      return new FunctionalHash(this);
    }
  }
}

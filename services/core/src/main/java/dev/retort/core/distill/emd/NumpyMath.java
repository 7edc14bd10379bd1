package dev.retort.core.distill.emd;

/**
 * The few numpy float64 reductions the official BERT-EMD weight update uses, with numpy's summation
 * order, so that the {@code OFFICIAL} guard reproduces its results bit for bit.
 *
 * <p>numpy sums a contiguous float64 array pairwise: fewer than 8 elements left to right; up to 128
 * elements with 8 interleaved accumulators combined as {@code ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))}
 * and the remainder added at the end; longer arrays split in two halves whose length is a multiple
 * of 8. IEEE semantics (NaN and infinity propagation) are Java's own.
 */
final class NumpyMath {

  private static final int BLOCK = 128;

  private NumpyMath() {}

  /** Returns {@code np.sum(a[off : off+len])} for a contiguous float64 array. */
  static double sum(double[] a, int off, int len) {
    if (len < 8) {
      double res = -0.0; // numpy starts from −0.0 so that a sum of −0.0 stays −0.0
      for (int k = off; k < off + len; k++) {
        res += a[k];
      }
      return res;
    }
    if (len <= BLOCK) {
      double r0 = a[off];
      double r1 = a[off + 1];
      double r2 = a[off + 2];
      double r3 = a[off + 3];
      double r4 = a[off + 4];
      double r5 = a[off + 5];
      double r6 = a[off + 6];
      double r7 = a[off + 7];
      int i = 8;
      for (; i < len - (len % 8); i += 8) {
        r0 += a[off + i];
        r1 += a[off + i + 1];
        r2 += a[off + i + 2];
        r3 += a[off + i + 3];
        r4 += a[off + i + 4];
        r5 += a[off + i + 5];
        r6 += a[off + i + 6];
        r7 += a[off + i + 7];
      }
      double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < len; i++) {
        res += a[off + i];
      }
      return res;
    }
    int half = len / 2;
    half -= half % 8;
    return sum(a, off, half) + sum(a, off + half, len - half);
  }

  /** Returns {@code np.sum(a)}. */
  static double sum(double[] a) {
    return sum(a, 0, a.length);
  }

  /**
   * Returns the official code's {@code softmax(x)}: {@code e = exp(x − max(x)); e / e.sum()}.
   *
   * <p>As with {@code np.max}, one NaN makes the maximum NaN and so every output NaN.
   */
  static double[] softmax(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v); // NaN-propagating, like np.max
    }
    double[] e = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      e[k] = Math.exp(x[k] - max);
    }
    double s = sum(e);
    for (int k = 0; k < x.length; k++) {
      e[k] /= s;
    }
    return e;
  }
}

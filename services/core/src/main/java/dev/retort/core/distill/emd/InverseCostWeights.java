package dev.retort.core.distill.emd;

/**
 * The per-vector arithmetic of {@link CostAttention}: inverse-cost weights, their normalisation,
 * averaging and the {@code SAFE} floor. Sums follow numpy ({@link NumpyMath}).
 */
final class InverseCostWeights {

  private InverseCostWeights() {}

  /**
   * Returns the normalised new weights of one side of one EMD.
   *
   * <pre>
   *   C̄_i = c_i / w_i,   ŵ_i = (Σ_k C̄_k) / C̄_i  (left at C̄_i when C̄_i = 0, as upstream)
   *   w'  = ŵ / Σŵ                 (sum normalisation)
   *   w'  = softmax(ŵ / T)         (softmax normalisation)
   * </pre>
   *
   * <p>With {@code safe}, {@code w_i ≤ 0} gives C̄_i = 0 (guard 1), and {@code w} itself is
   * returned when ŵ is all zero or not finite (guard 2). Without it, IEEE arithmetic runs as in
   * numpy.
   *
   * @param w the weights the EMD was solved with, {@code [K]}
   * @param c the cost each layer shipped, {@code [K]}
   */
  static double[] reweight(
      double[] w, double[] c, boolean softmax, double temperature, boolean safe) {
    int k = w.length;
    double[] x = new double[k];
    for (int i = 0; i < k; i++) {
      x[i] = safe && !(w[i] > 0) ? 0 : c[i] / w[i]; // C̄_i
    }
    double total = NumpyMath.sum(x);
    for (int i = 0; i < k; i++) {
      if (x[i] != 0) { // NaN != 0 too, as in numpy
        x[i] = total / x[i]; // ŵ_i
      }
    }
    if (safe && !usable(x)) {
      return w.clone();
    }
    if (!softmax) {
      double s = NumpyMath.sum(x);
      for (int i = 0; i < k; i++) {
        x[i] /= s;
      }
      return x;
    }
    for (int i = 0; i < k; i++) {
      x[i] /= temperature;
    }
    return NumpyMath.softmax(x);
  }

  /** Whether ŵ is finite, non-negative and not all zero, so that it can be normalised. */
  private static boolean usable(double[] x) {
    boolean positive = false;
    for (double v : x) {
      if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
        return false;
      }
      positive |= v > 0;
    }
    return positive;
  }

  /** Returns {@code (a + b) / 2} elementwise, as {@code np.mean(np.stack([a, b]), 0)}. */
  static double[] average(double[] a, double[] b) {
    double[] m = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      m[i] = (a[i] + b[i]) / 2;
    }
    return m;
  }

  /**
   * Returns the final form of a weight vector: with {@code softmax}, the paper-era second softmax
   * (T = 1); with {@code safe}, every weight raised to {@code floor} and the vector renormalised
   * (guard 3).
   */
  static double[] finish(double[] w, boolean softmax, boolean safe, double floor) {
    double[] out = softmax ? NumpyMath.softmax(w) : w.clone();
    if (safe) {
      for (int i = 0; i < out.length; i++) {
        out[i] = Math.max(out[i], floor);
      }
      double s = NumpyMath.sum(out);
      for (int i = 0; i < out.length; i++) {
        out[i] /= s;
      }
    }
    return out;
  }
}

package dev.retort.core.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Corpus-level correlation metrics for regression (STS-B).
 *
 * <p><b>Degenerate inputs give 0, never NaN.</b> When either series is constant (or has fewer than
 * two points) the correlation is undefined; SciPy returns NaN there. We return 0 ("no detectable
 * relation") so that model selection and averages such as (P+S)/2 stay well defined; a constant
 * predictor scores 0, which is also what it deserves.
 */
public final class CorrelationMetrics {
  private CorrelationMetrics() {}

  /**
   * Returns the Pearson correlation.
   *
   * <p>{@code r = sum (x_i - mean x)(y_i - mean y) / sqrt(sum (x_i - mean x)^2 * sum (y_i - mean
   * y)^2)}, computed in double; 0 if either series is constant.
   *
   * @param x the predictions // [N]
   * @param y the gold values // [N]
   * @return r in [-1, 1]
   */
  public static double pearson(double[] x, double[] y) {
    check(x, y);
    int n = x.length;
    if (n < 2) {
      return 0;
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    if (sxx == 0 || syy == 0) {
      return 0;
    }
    double r = sxy / Math.sqrt(sxx * syy);
    return Math.max(-1, Math.min(1, r));
  }

  /**
   * Returns the Spearman rank correlation: the Pearson correlation of the ranks, tied values
   * getting the average of their ranks; 0 if either series is constant.
   *
   * @param x the predictions // [N]
   * @param y the gold values // [N]
   * @return rho in [-1, 1]
   */
  public static double spearman(double[] x, double[] y) {
    check(x, y);
    return pearson(ranks(x), ranks(y));
  }

  /**
   * Returns 1-based ranks, ties sharing the mean of their positions (e.g. {@code [10, 20, 20, 30]}
   * gives {@code [1, 2.5, 2.5, 4]}).
   *
   * @param values the values // [N]
   * @return the ranks // [N]
   */
  public static double[] ranks(double[] values) {
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double[] ranks = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = avg;
      }
      i = j + 1;
    }
    return ranks;
  }

  /**
   * Converts floats to doubles.
   *
   * @param values the values
   * @return the same values as doubles
   */
  public static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static void check(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          x.length + " predictions for " + y.length + " gold values");
    }
  }
}

package dev.retort.bench.compute;

import java.util.Arrays;
import java.util.List;

/** Order statistics of repeated timings. */
public final class Stats {
  private Stats() {}

  /**
   * Returns the median: the middle value, or the mean of the two middle values.
   *
   * @param values at least one value
   * @return the median
   * @throws IllegalArgumentException if there are no values
   */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("the median of no values is undefined");
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** Returns the median of a list. */
  public static double median(List<Double> values) {
    return median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Returns the smallest value. */
  public static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  /** Returns the largest value. */
  public static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  /** Rounds to a few significant digits for reports. */
  public static double round(double v, int digits) {
    if (!Double.isFinite(v) || v == 0) {
      return v;
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(digits)).doubleValue();
  }

  /** Rounds every value for reports. */
  public static double[] round(double[] values, int digits) {
    return Arrays.stream(values).map(v -> round(v, digits)).toArray();
  }
}

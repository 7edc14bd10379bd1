package dev.retort.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The goal of a figure: its value must be at least, or at most, a threshold.
 *
 * @param comparison which side of the threshold is good
 * @param threshold the threshold
 * @param label how the table shows the target, or null for {@code ≥ threshold} / {@code ≤
 *     threshold}
 */
public record Target(Comparison comparison, double threshold, String label) {

  /** Which side of the threshold reaches the target. */
  public enum Comparison {
    /** {@code value ≥ threshold}. */
    AT_LEAST,
    /** {@code value ≤ threshold}. */
    AT_MOST
  }

  /** Checks the threshold. */
  public Target {
    if (comparison == null || !Double.isFinite(threshold)) {
      throw new IllegalArgumentException("a target needs a comparison and a finite threshold");
    }
  }

  /** Returns the target {@code value ≥ threshold}. */
  public static Target atLeast(double threshold) {
    return new Target(Comparison.AT_LEAST, threshold, null);
  }

  /** Returns the target {@code value ≤ threshold}. */
  public static Target atMost(double threshold) {
    return new Target(Comparison.AT_MOST, threshold, null);
  }

  /** Returns a copy that the table shows as {@code text}. */
  public Target describedAs(String text) {
    return new Target(comparison, threshold, text);
  }

  /**
   * Returns whether a value reaches the target; NaN never does.
   *
   * @param value the measured value
   * @return whether it is on the good side of the threshold (or on it)
   */
  public boolean reachedBy(double value) {
    return comparison == Comparison.AT_LEAST ? value >= threshold : value <= threshold;
  }

  /**
   * Says how far a value misses the target: {@code threshold − value} below an at-least target,
   * {@code value / threshold} times an at-most target.
   *
   * @param value the measured value
   * @return e.g. {@code "0.18 short"} or {@code "2.4x the limit"}; empty if reached
   */
  public String shortfall(double value) {
    if (reachedBy(value)) {
      return "";
    }
    if (comparison == Comparison.AT_LEAST) {
      return String.format(Locale.ROOT, "%.3g short", threshold - value);
    }
    return String.format(Locale.ROOT, "%.3gx the limit", value / threshold);
  }

  /** Returns the target as written in the issue, e.g. {@code ≥ 0.6}. */
  public String describe() {
    if (label != null) {
      return label;
    }
    return (comparison == Comparison.AT_LEAST ? "≥ " : "≤ ") + format(threshold);
  }

  /** Returns the target as JSON fields. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("comparison", comparison == Comparison.AT_LEAST ? ">=" : "<=");
    m.put("threshold", threshold);
    if (label != null) {
      m.put("label", label);
    }
    return m;
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}

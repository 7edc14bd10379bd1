package dev.retort.cli;

import java.util.Locale;

/** How numbers are shown in tables: metrics, shares, parameter counts, latencies, durations. */
public final class Formats {
  /** Shown for a value that does not exist (an unlabelled test split, a failed run). */
  public static final String NONE = "–";

  private Formats() {}

  /** Returns a metric with four decimals, or {@link #NONE} for null or NaN. */
  public static String metric(Double v) {
    return v == null || v.isNaN() ? NONE : String.format(Locale.ROOT, "%.4f", v);
  }

  /** Returns a share as a percentage with one decimal ({@code 0.9731 -> "97.3%"}). */
  public static String percent(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", 100 * share) : NONE;
  }

  /** Returns a parameter count in millions or thousands ({@code 4385920 -> "4.39M"}). */
  public static String parameters(long n) {
    if (n >= 1_000_000) {
      return String.format(Locale.ROOT, "%.2fM", n / 1e6);
    }
    if (n >= 1_000) {
      return String.format(Locale.ROOT, "%.1fK", n / 1e3);
    }
    return Long.toString(n);
  }

  /** Returns milliseconds with one decimal. */
  public static String millis(double ms) {
    return Double.isFinite(ms) ? String.format(Locale.ROOT, "%.1f", ms) : NONE;
  }

  /** Returns a factor such as a speed-up ({@code 3.96 -> "4.0x"}). */
  public static String factor(double f) {
    return Double.isFinite(f) ? String.format(Locale.ROOT, "%.1fx", f) : NONE;
  }

  /** Returns a duration ({@code 83.2 -> "1m 23s"}, {@code 4.2 -> "4.2s"}). */
  public static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return NONE;
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60)
        : String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
  }

  /** Returns a loss value with four significant digits. */
  public static String loss(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}

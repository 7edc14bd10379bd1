package dev.retort.trainer.messaging;

import java.time.Duration;

/**
 * The pause after a failed pass of a loop: the first failure waits {@code first}, each further one
 * twice as long, up to {@code max}; a pass that succeeds starts it over. A loop whose every pass
 * fails at once (a consumer the broker does not authorise) then retries, and logs, a few times a
 * minute instead of as fast as it can. Not thread-safe: one loop's thread uses it.
 */
final class Backoff {
  private final Duration first;
  private final Duration max;
  private Duration next;

  /**
   * Creates the back-off.
   *
   * @param first the pause after the first failure (positive)
   * @param max the longest pause (at least {@code first})
   */
  Backoff(Duration first, Duration max) {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("a back-off needs 0 < first <= max, got " + first + " and " + max);
    }
    this.first = first;
    this.max = max;
    this.next = first;
  }

  /** Returns the pause after one more failure, and doubles the one after it (up to the max). */
  Duration next() {
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  /** Starts over after a pass that succeeded. */
  void reset() {
    next = first;
  }
}

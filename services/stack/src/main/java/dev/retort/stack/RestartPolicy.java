package dev.retort.stack;

import java.time.Duration;

/**
 * How {@link LocalStack#supervise} restarts the processes that die: it looks every {@code
 * checkEvery}, and restarts a process at most {@code maxRestarts} times within any {@code window};
 * a process that dies more often than that is crash-looping, and is left down with an error in
 * the log rather than restarted forever.
 *
 * @param checkEvery how often the processes are checked
 * @param maxRestarts the most restarts of one process within the window, {@code ≥ 1}
 * @param window the window the restarts are counted in
 */
public record RestartPolicy(Duration checkEvery, int maxRestarts, Duration window) {

  /** Validates the policy. */
  public RestartPolicy {
    if (checkEvery == null || checkEvery.isNegative() || checkEvery.isZero()) {
      throw new IllegalArgumentException("checkEvery must be positive, got " + checkEvery);
    }
    if (maxRestarts < 1) {
      throw new IllegalArgumentException("maxRestarts must be >= 1, got " + maxRestarts);
    }
    if (window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
  }

  /** Returns the default: checked every second, at most 3 restarts of a process in 10 minutes. */
  public static RestartPolicy defaults() {
    return new RestartPolicy(Duration.ofSeconds(1), 3, Duration.ofMinutes(10));
  }
}

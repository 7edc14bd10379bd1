package dev.retort.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates the wall time of the parts of one training step: {@code teacher} (waiting for
 * teacher outputs), {@code forward}, {@code loss-service} (waiting for the EMD or graph reply),
 * {@code backward} and {@code optimizer}. Metrics and the profiler read it.
 */
public final class StepTimer {
  /** Waiting for or computing teacher outputs. */
  public static final String TEACHER = "teacher";
  /** The student's forward pass and the loss. */
  public static final String FORWARD = "forward";
  /** Waiting for the loss service (or computing its part in-process). */
  public static final String LOSS_SERVICE = "loss-service";
  /** Back-propagation. */
  public static final String BACKWARD = "backward";
  /** Clipping and the optimiser update. */
  public static final String OPTIMIZER = "optimizer";

  private final Map<String, Long> nanos = new LinkedHashMap<>();

  /** Adds time to a part. */
  public void add(String part, long elapsedNanos) {
    nanos.merge(part, elapsedNanos, Long::sum);
  }

  /**
   * Times a piece of work.
   *
   * @param part the part's name
   * @param work the work
   * @param <T> the result type
   * @return the work's result
   */
  public <T> T time(String part, java.util.function.Supplier<T> work) {
    long t0 = System.nanoTime();
    try {
      return work.get();
    } finally {
      add(part, System.nanoTime() - t0);
    }
  }

  /** Returns seconds per part. */
  public Map<String, Double> seconds() {
    Map<String, Double> out = new LinkedHashMap<>();
    nanos.forEach((k, v) -> out.put(k, v / 1e9));
    return out;
  }

  /** Removes what was recorded. */
  public void reset() {
    nanos.clear();
  }
}

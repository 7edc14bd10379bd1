package dev.retort.loss.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tracks how long the request handler has been busy with its current request: the liveness check's
 * only sign of a wedged loop.
 */
@ApplicationScoped
public class HandlerWatch {
  private final AtomicLong busySince = new AtomicLong();

  /** Marks the start of a request. */
  public void begin() {
    busySince.set(System.nanoTime());
  }

  /** Marks the end of a request. */
  public void end() {
    busySince.set(0);
  }

  /** Returns how long the current batch has been processed, in nanoseconds; 0 when idle. */
  public long busyNanos() {
    long since = busySince.get();
    return since == 0 ? 0 : System.nanoTime() - since;
  }
}

package dev.retort.service.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tracks how long the oldest request still being handled has been: the liveness check's only
 * sign of a wedged worker. The teacher's workers handle several requests at once; the loss and
 * evaluator services handle one at a time, so theirs is simply the current request.
 */
@ApplicationScoped
public class HandlerWatch {
  private final AtomicLong tokens = new AtomicLong();
  private final Map<Long, Long> busySince = new ConcurrentHashMap<>();

  /**
   * Marks the start of a request.
   *
   * @return the token to hand to {@link #end}
   */
  public long begin() {
    long token = tokens.incrementAndGet();
    busySince.put(token, System.nanoTime());
    return token;
  }

  /**
   * Marks the end of a request.
   *
   * @param token what {@link #begin} returned
   */
  public void end(long token) {
    busySince.remove(token);
  }

  /** Returns how long the oldest request in hand has been handled, in nanoseconds; 0 when idle. */
  public long busyNanos() {
    long now = System.nanoTime();
    long longest = 0;
    for (long since : busySince.values()) {
      longest = Math.max(longest, now - since);
    }
    return longest;
  }
}

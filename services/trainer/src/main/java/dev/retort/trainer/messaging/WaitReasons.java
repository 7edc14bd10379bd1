package dev.retort.trainer.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why each waiting request was last put back, so that a request that waits for the same reason
 * retry after retry is reported once, and again only when the reason changes.
 *
 * <p>Bounded: the pending queue holds at most 16 requests, so the last {@value #KEPT} are more
 * than wait at once; an older one that waits again is reported again.
 */
final class WaitReasons {
  /** How many jobs are remembered. */
  static final int KEPT = 64;

  private final Map<String, String> reasons = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > KEPT;
    }
  };

  /**
   * Records why a request waits.
   *
   * @param request the request (its topic, partition and offset)
   * @param reason why it waits
   * @return whether the reason differs from the one recorded last for the request (report it)
   */
  boolean changed(String request, String reason) {
    return !reason.equals(reasons.put(request, reason));
  }

  /** Forgets a request that no longer waits. */
  void clear(String request) {
    reasons.remove(request);
  }
}

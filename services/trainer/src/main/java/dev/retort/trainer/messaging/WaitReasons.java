package dev.retort.trainer.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why each waiting job's request was last put back, so that a job that waits for the same reason
 * retry after retry is reported once, and again only when the reason changes.
 *
 * <p>Bounded: the pending queue holds at most 16 requests, so the last {@value #KEPT} jobs are
 * more than wait at once; an older one that waits again is reported again.
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
   * Records why a job waits.
   *
   * @param jobId the job
   * @param reason why it waits
   * @return whether the reason differs from the one recorded last for the job (report it)
   */
  boolean changed(String jobId, String reason) {
    return !reason.equals(reasons.put(jobId, reason));
  }

  /** Forgets a job that no longer waits. */
  void clear(String jobId) {
    reasons.remove(jobId);
  }
}

package dev.retort.teacher.messaging;

import java.util.HashSet;
import java.util.Set;

/**
 * The request keys this replica is computing or publishing, one worker per key.
 *
 * <p>A worker {@link #claim}s a key before it checks the index: when another worker holds it, the
 * claim waits until that worker's output is published (then the index has it, and the request is
 * skipped) or abandoned (then this worker computes it). Skipping a key merely because it is in
 * flight would lose the request whenever the other worker's publish fails.
 */
final class InFlightKeys {
  private final Set<String> keys = new HashSet<>();

  /**
   * Waits until no other worker holds the key, then holds it.
   *
   * @param key the request key
   * @return whether the call waited for another worker
   */
  synchronized boolean claim(String key) {
    boolean waited = false;
    boolean interrupted = false;
    while (!keys.add(key)) {
      waited = true;
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return waited;
  }

  /**
   * Lets a key go, waking the workers waiting for it.
   *
   * @param key the request key
   */
  synchronized void release(String key) {
    if (keys.remove(key)) {
      notifyAll();
    }
  }

  /** Returns how many keys are held. */
  synchronized int size() {
    return keys.size();
  }
}

package dev.retort.service.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Tracks the liveness check's two signs of a wedged worker: how long the request in hand that
 * went longest without progress has gone, and how long the oldest record left uncommitted has
 * waited to be delivered again. The teacher's workers handle several requests at once; the loss
 * and evaluator services handle one at a time, so theirs is simply the current request.
 *
 * <p>A request makes progress when it begins and whenever the thread handling it calls {@link
 * #beat()}: a long evaluation beats after every batch, so it is judged by the time since its last
 * batch, not by its length. A request that never beats is judged by its length.
 */
@ApplicationScoped
public class HandlerWatch {
  private final AtomicLong tokens = new AtomicLong();
  private final Map<Long, Long> lastProgress = new ConcurrentHashMap<>();
  private final ThreadLocal<Long> current = new ThreadLocal<>();
  private final Map<String, Long> uncommitted = new ConcurrentHashMap<>();

  /**
   * Marks the start of a request on the calling thread.
   *
   * @return the token to hand to {@link #end}
   */
  public long begin() {
    long token = tokens.incrementAndGet();
    lastProgress.put(token, System.nanoTime());
    current.set(token);
    return token;
  }

  /**
   * Marks progress of the request the calling thread is handling; nothing when it handles none.
   */
  public void beat() {
    Long token = current.get();
    if (token != null) {
      lastProgress.replace(token, System.nanoTime());
    }
  }

  /**
   * Marks the end of a request.
   *
   * @param token what {@link #begin} returned
   */
  public void end(long token) {
    lastProgress.remove(token);
    if (Objects.equals(current.get(), token)) {
      current.remove();
    }
  }

  /**
   * Returns how long the request in hand that went longest without progress has gone, in
   * nanoseconds; 0 when idle.
   */
  public long busyNanos() {
    return oldest(lastProgress);
  }

  /**
   * Returns the name under which a record is tracked: {@code topic-partition@offset}.
   *
   * @param topic the record's topic
   * @param partition its partition
   * @param offset its offset
   * @return the name
   */
  public static String recordId(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }

  /**
   * Records a record left uncommitted after transient failures; {@link #committed} forgets it when
   * it is delivered again and committed here, {@link #partitionReleased} when a rebalance gives its
   * partition to another replica.
   *
   * @param record the record, as {@link #recordId} names it
   */
  public void leftUncommitted(String record) {
    uncommitted.putIfAbsent(record, System.nanoTime());
  }

  /**
   * Records a committed record: one left uncommitted before no longer waits.
   *
   * @param record the record, as given to {@link #leftUncommitted}
   */
  public void committed(String record) {
    uncommitted.remove(record);
  }

  /**
   * Forgets the records left uncommitted on a partition this replica no longer reads (a rebalance
   * revoked it, or the group lost it): the replica that is assigned the partition next is delivered
   * them again from the committed offset, so their wait is no longer this replica's to report, and
   * a restart here would deliver nothing. Should this replica be assigned the partition again, it
   * is delivered them again and tracks them anew if they still fail.
   *
   * @param topic the partition's topic
   * @param partition the partition
   */
  public void partitionReleased(String topic, int partition) {
    String prefix = topic + "-" + partition + "@";
    uncommitted.keySet().removeIf(record -> record.startsWith(prefix));
  }

  /**
   * Returns how long the oldest record left uncommitted has waited, in nanoseconds; 0 when none.
   * A restart of the replica delivers it again.
   */
  public long uncommittedNanos() {
    return oldest(uncommitted);
  }

  /**
   * Marks a liveness response down, with what it found, when a request in hand went without
   * progress, or a record left uncommitted has waited, for longer than {@code wedgedAfter}.
   *
   * @param b the liveness response
   * @param wedgedAfter the service's {@code health.wedged-after}
   * @param what what one record is, e.g. {@code request} or {@code checkpoint}
   */
  public void report(HealthCheckResponseBuilder b, Duration wedgedAfter, String what) {
    long busy = busyNanos();
    if (busy > wedgedAfter.toNanos()) {
      b.down().withData("handler", "no progress on one " + what + " for " + busy / 1_000_000_000L
          + " s");
    }
    long waiting = uncommittedNanos();
    if (waiting > wedgedAfter.toNanos()) {
      b.down().withData("uncommitted", "a " + what + " left uncommitted after transient failures"
          + " has waited " + waiting / 1_000_000_000L + " s to be delivered again; a restart"
          + " delivers it");
    }
  }

  private static long oldest(Map<?, Long> since) {
    long now = System.nanoTime();
    long longest = 0;
    for (long t : since.values()) {
      longest = Math.max(longest, now - t);
    }
    return longest;
  }
}

package dev.retort.teacher.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The first offset still in a partition's log, cached for a while: an indexed output whose first
 * chunk is below it was deleted by retention and must be computed again.
 */
public final class LogStarts {
  private final Supplier<Admin> admin;
  private final Duration cacheFor;
  private final Duration timeout;
  private final Map<TopicPartition, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(long offset, long atNanos) {}

  /**
   * Creates the lookup.
   *
   * @param admin the admin client, asked for on first use
   * @param cacheFor how long an answer is reused
   * @param timeout how long one lookup may take
   */
  public LogStarts(Supplier<Admin> admin, Duration cacheFor, Duration timeout) {
    this.admin = admin;
    this.cacheFor = cacheFor;
    this.timeout = timeout;
  }

  /**
   * Returns the first offset of a partition's log.
   *
   * @param tp the partition
   * @return its log start offset
   * @throws IllegalStateException if the broker does not answer in time
   */
  public long earliest(TopicPartition tp) {
    Cached c = cache.get(tp);
    long now = System.nanoTime();
    if (c != null && now - c.atNanos() < cacheFor.toNanos()) {
      return c.offset();
    }
    try {
      ListOffsetsResult.ListOffsetsResultInfo info = admin.get()
          .listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      cache.put(tp, new Cached(info.offset(), now));
      return info.offset();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the log start of " + tp + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the log start of " + tp, e);
    }
  }
}

package dev.retort.messaging;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Joins the chunks written by {@link ChunkedProducer} back into whole values, on the consumer
 * side.
 *
 * <p>Feed it every record of the topic in partition order with {@link #offer}. A record without
 * chunk headers comes back at once. Chunks are held per message id until the last one arrives;
 * then the joined value is checked against the {@code retort-total-bytes} and {@code
 * retort-sha256} headers and returned. Chunks of one message arrive in order (one partition, an
 * idempotent producer), so a chunk after a gap fails the message, and a repeated chunk is ignored.
 *
 * <p>Memory is bounded: a message's whole length is reserved at its first chunk; when the bytes
 * reserved would exceed {@code maxBytes} or the incomplete messages {@code maxPending}, the oldest
 * incomplete ones are evicted. Incomplete messages older than {@code timeout} are evicted too.
 * Evictions are not failures of a record: {@link #drainEvictions()} lists them (with the reason)
 * so the caller can ask for the value again.
 *
 * <p>A consumer that commits offsets must not commit past the first chunk of an incomplete
 * message, or a restart would never see that chunk again: {@link #earliestPendingOffset} says how
 * far it may commit. Not thread-safe: one per consumer thread.
 */
public final class Reassembler {
  /** How many orphan message ids are remembered, so later chunks of them stay quiet. */
  private static final int ORPHANS_KEPT = 1024;
  /** How many evictions are kept until drained; older ones are dropped. */
  private static final int EVICTIONS_KEPT = 1024;

  private final long maxBytes;
  private final int maxPending;
  private final long timeoutNanos;
  private final LongSupplier ticker;
  private final Map<String, PendingMessage> pending = new LinkedHashMap<>();
  private final Map<String, Boolean> orphans = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > ORPHANS_KEPT;
    }
  };
  private final Deque<Eviction> evictions = new ArrayDeque<>();
  private long bytesHeld;

  private Reassembler(Builder b) {
    this.maxBytes = b.maxBytes;
    this.maxPending = b.maxPending;
    this.timeoutNanos = b.timeout.toNanos();
    this.ticker = b.ticker;
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Takes one record.
   *
   * @param record the next record of its partition
   * @return empty while a message is incomplete (or for chunks of an evicted message); the whole
   *     value, or why the message is broken (bad headers, a gap, a checksum mismatch)
   */
  public Optional<Decoded<Assembled>> offer(ConsumerRecord<String, byte[]> record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    byte[] value = record.value() == null ? new byte[0] : record.value();
    Optional<ChunkHeader> read;
    try {
      read = ChunkHeader.read(record.headers());
    } catch (BadMessageException e) {
      return Optional.of(Decoded.failed(e.reason(), value));
    }
    if (read.isEmpty()) {
      return Optional.of(Decoded.ok(new Assembled(tp, record.offset(), record.offset(),
          record.key(), "", 1, value)));
    }
    ChunkHeader h = read.get();
    evictTimedOut();
    PendingMessage p = pending.get(h.messageId());
    if (p == null) {
      if (h.index() != 0) {
        noteOrphan(h, tp, record);
        return Optional.empty();
      }
      orphans.remove(h.messageId()); // read again from its start (a seek back): a fresh attempt
      if (h.totalBytes() > maxBytes) {
        orphans.put(h.messageId(), true);
        return Optional.of(Decoded.failed("message " + h.messageId() + " has " + h.totalBytes()
            + " bytes, more than the reassembly limit of " + maxBytes + " bytes", value));
      }
      p = open(h, tp, record);
    }
    Optional<Decoded<Assembled>> outcome = p.add(h, tp, record.offset(), value);
    if (outcome.isPresent()) {
      remove(p);
      if (!outcome.get().isOk()) {
        orphans.put(h.messageId(), true); // its later chunks are no news
      }
    }
    return outcome;
  }

  private void noteOrphan(ChunkHeader h, TopicPartition tp, ConsumerRecord<String, byte[]> r) {
    if (orphans.put(h.messageId(), true) == null) {
      evict(new Eviction(h.messageId(), r.key(), tp, r.offset(), 0, h.count(),
          "chunk " + h.position() + " arrived without the message's first chunk: the consumer "
              + "started inside the message, or retention deleted its start"));
    }
  }

  private PendingMessage open(ChunkHeader h, TopicPartition tp, ConsumerRecord<String, byte[]> r) {
    makeRoom(h.totalBytes());
    PendingMessage p = new PendingMessage(h, tp, r.key(), r.offset(), ticker.getAsLong());
    pending.put(h.messageId(), p);
    bytesHeld += h.totalBytes();
    return p;
  }

  /**
   * Evicts incomplete messages older than the timeout.
   *
   * @return every eviction not yet drained, oldest first
   */
  public List<Eviction> expire() {
    evictTimedOut();
    return drainEvictions();
  }

  private void evictTimedOut() {
    long now = ticker.getAsLong();
    for (Iterator<PendingMessage> it = pending.values().iterator(); it.hasNext(); ) {
      PendingMessage p = it.next();
      if (now - p.startedNanos > timeoutNanos) {
        it.remove();
        bytesHeld -= p.header.totalBytes();
        orphans.put(p.header.messageId(), true);
        evict(p.eviction("incomplete after " + Duration.ofNanos(timeoutNanos).toSeconds()
            + " s: the producer failed or its remaining chunks are lost"));
      }
    }
  }

  /** Returns and forgets the evictions so far, oldest first. */
  public List<Eviction> drainEvictions() {
    List<Eviction> out = new ArrayList<>(evictions);
    evictions.clear();
    return out;
  }

  /**
   * Returns the offset of the earliest first chunk of an incomplete message in a partition.
   *
   * @param tp the partition
   * @return the offset a consumer may commit at most, or empty when nothing is incomplete there
   */
  public OptionalLong earliestPendingOffset(TopicPartition tp) {
    return pending.values().stream().filter(p -> p.partition.equals(tp))
        .mapToLong(p -> p.firstOffset).min();
  }

  /**
   * Drops the incomplete messages of partitions this consumer no longer owns (after a
   * rebalance); the new owner reads them from the committed offset. Not reported as evictions.
   *
   * @param partitions the revoked partitions
   */
  public void forget(Collection<TopicPartition> partitions) {
    for (Iterator<PendingMessage> it = pending.values().iterator(); it.hasNext(); ) {
      PendingMessage p = it.next();
      if (partitions.contains(p.partition)) {
        it.remove();
        bytesHeld -= p.header.totalBytes();
      }
    }
  }

  /** Returns the number of incomplete messages. */
  public int pending() {
    return pending.size();
  }

  /** Returns the bytes reserved for incomplete messages. */
  public long bytesHeld() {
    return bytesHeld;
  }

  private void makeRoom(long bytes) {
    Iterator<PendingMessage> it = pending.values().iterator();
    while (it.hasNext()) {
      String reason;
      if (pending.size() >= maxPending) {
        reason = "more than " + maxPending + " incomplete messages at once";
      } else if (bytesHeld + bytes > maxBytes) {
        reason = "more than " + maxBytes + " bytes of incomplete messages at once";
      } else {
        return;
      }
      PendingMessage oldest = it.next();
      it.remove();
      bytesHeld -= oldest.header.totalBytes();
      orphans.put(oldest.header.messageId(), true);
      evict(oldest.eviction(reason));
    }
  }

  private void remove(PendingMessage p) {
    pending.remove(p.header.messageId());
    bytesHeld -= p.header.totalBytes();
  }

  private void evict(Eviction e) {
    if (evictions.size() == EVICTIONS_KEPT) {
      evictions.removeFirst();
    }
    evictions.addLast(e);
  }

  /** Builds a {@link Reassembler}; every setting has a default. */
  public static final class Builder {
    private long maxBytes = 256L * 1024 * 1024;
    private int maxPending = 16;
    private Duration timeout = Duration.ofMinutes(5);
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /** Sets the bytes incomplete messages may reserve in all (default 256 MiB). */
    public Builder optMaxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    /** Sets how many messages may be incomplete at once (default 16). */
    public Builder optMaxPending(int maxPending) {
      this.maxPending = maxPending;
      return this;
    }

    /** Sets how long a message may stay incomplete (default 5 minutes). */
    public Builder optTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Sets the nanosecond clock (default {@link System#nanoTime()}); for tests. */
    public Builder optTicker(LongSupplier ticker) {
      this.ticker = ticker;
      return this;
    }

    /** Validates and returns the reassembler. */
    public Reassembler build() {
      if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxBytes must be in [1, 2^31 - 9]: " + maxBytes);
      }
      if (maxPending < 1) {
        throw new IllegalArgumentException("maxPending must be at least 1: " + maxPending);
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      return new Reassembler(this);
    }
  }
}

package dev.retort.messaging;

import dev.retort.proto.v1.TeacherOutputLocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads one message back from the log by its location: how teacher outputs are replayed by later
 * epochs and jobs instead of running the teacher again.
 *
 * <p>A location is (topic, partition, offset of the first chunk, chunk count, message id), as the
 * teacher index records it. The fetcher assigns the partition to its own consumer (no group, no
 * commits), seeks to the offset and reads forward, skipping records of other messages that were
 * written in between, until the message is whole and its SHA-256 matches.
 *
 * <p>Outcomes ({@link Replay}): {@code FOUND}; {@code GONE} when the offset is below the log's
 * first offset (retention deleted it; the caller computes the value again); {@code FAILED} when
 * the location does not hold the message, chunks are missing or corrupted, or the time runs out.
 * One fetcher per thread: a Kafka consumer is not thread-safe.
 */
public final class ChunkFetcher implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<String, byte[]> consumer;
  private final Duration timeout;
  private final long maxBytes;

  /**
   * Wraps a consumer.
   *
   * @param consumer a consumer without group, with {@link ClientConfigs#assignedConsumer} settings
   * @param timeout how long one fetch may take
   * @param maxBytes the largest message to read
   */
  public ChunkFetcher(Consumer<String, byte[]> consumer, Duration timeout, long maxBytes) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.maxBytes = maxBytes;
  }

  /**
   * Creates a fetcher with its own consumer.
   *
   * @param bootstrap the bootstrap servers
   * @param clientId the client id
   * @param overrides consumer settings applied last (security)
   * @param timeout how long one fetch may take
   * @return the fetcher
   */
  public static ChunkFetcher create(String bootstrap, String clientId,
      Map<String, String> overrides, Duration timeout) {
    return new ChunkFetcher(
        new KafkaConsumer<>(ClientConfigs.assignedConsumer(bootstrap, clientId, overrides)),
        timeout, Integer.MAX_VALUE - 8);
  }

  /**
   * Reads the message a teacher index entry points to.
   *
   * @param location the index entry
   * @return the outcome
   */
  public Replay fetch(TeacherOutputLocation location) {
    return fetch(location.getTopic(), location.getPartition(), location.getOffset(),
        location.getChunks(), location.getMessageId());
  }

  /**
   * Reads a message back.
   *
   * @param topic the topic
   * @param partition the partition
   * @param firstOffset the offset of the first chunk (or of the only record)
   * @param chunks the chunk count; 1 for a record that was not split
   * @param messageId the chunks' message id; empty for a record that was not split
   * @return the outcome
   */
  public Replay fetch(String topic, int partition, long firstOffset, int chunks,
      String messageId) {
    TopicPartition tp = new TopicPartition(topic, partition);
    String what = (messageId.isEmpty() ? "the record" : "message " + messageId) + " at offset "
        + firstOffset + " of " + tp;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      consumer.assign(List.of(tp));
      long start = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
      if (firstOffset < start) {
        return gone(what, start);
      }
      long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
      if (firstOffset >= end) {
        return Replay.failed(what + " is past the end of the log (offset " + end
            + "): the location belongs to another log (was the topic re-created?)");
      }
      consumer.seek(tp, firstOffset);
      return read(tp, firstOffset, chunks, messageId, what, end, deadline);
    } catch (OffsetOutOfRangeException e) {
      return Replay.gone(what + " is no longer in the log (deleted by retention while it was "
          + "read): compute it again");
    } catch (TimeoutException e) {
      return Replay.failed(what + ": Kafka did not answer within " + timeout.toSeconds() + " s");
    }
  }

  private Replay read(TopicPartition tp, long firstOffset, int chunks, String messageId,
      String what, long end, long deadline) {
    Reassembler reassembler = Reassembler.builder().optMaxPending(1)
        .optMaxBytes(maxBytes).optTimeout(timeout.plusSeconds(1)).build();
    boolean first = true;
    int seen = 0;
    long logEnd = end;
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL).records(tp)) {
        Optional<ChunkHeader> header;
        try {
          header = ChunkHeader.read(record.headers());
        } catch (BadMessageException e) {
          if (first) {
            return Replay.failed(what + ": " + e.reason());
          }
          continue; // a broken record of another message
        }
        String id = header.map(ChunkHeader::messageId).orElse("");
        if (first) {
          first = false;
          Optional<String> mismatch = firstRecordMismatch(record, header, firstOffset, chunks,
              messageId);
          if (mismatch.isPresent()) {
            return Replay.failed(what + ": " + mismatch.get());
          }
        }
        if (!id.equals(messageId)) {
          continue; // interleaved record of another message
        }
        seen++;
        Optional<Decoded<Assembled>> outcome = reassembler.offer(record);
        if (outcome.isPresent()) {
          return outcome.get().isOk() ? Replay.found(outcome.get().value().value())
              : Replay.failed(outcome.get().reason());
        }
      }
      if (consumer.position(tp) >= logEnd) {
        logEnd = consumer.endOffsets(List.of(tp), timeout).get(tp);
        if (consumer.position(tp) >= logEnd) {
          return Replay.failed(what + ": the log ends at offset " + logEnd + " after " + seen
              + " of " + chunks + " chunks; the producer failed before sending the rest");
        }
      }
    }
    return Replay.failed(what + ": only " + seen + " of " + chunks + " chunks read within "
        + timeout.toSeconds() + " s");
  }

  /** Returns what is wrong with the record at the location's offset, if anything. */
  private static Optional<String> firstRecordMismatch(ConsumerRecord<String, byte[]> record,
      Optional<ChunkHeader> header, long firstOffset, int chunks, String messageId) {
    if (record.offset() != firstOffset) {
      return Optional.of("there is no record at that offset (the next is at "
          + record.offset() + ")");
    }
    if (messageId.isEmpty()) {
      return header.map(h -> "the location names a single record, but it is chunk "
          + h.position() + " of message " + h.messageId());
    }
    if (header.isEmpty()) {
      return Optional.of("the record there is a single record, not a chunk");
    }
    ChunkHeader h = header.get();
    if (!h.messageId().equals(messageId) || h.index() != 0 || h.count() != chunks) {
      return Optional.of("the record there is chunk " + h.position() + " of message "
          + h.messageId() + ", not chunk 1/" + chunks + " of the expected message");
    }
    return Optional.empty();
  }

  private static Replay gone(String what, long start) {
    return Replay.gone(what + " is no longer in the log (deleted by retention; the log now "
        + "starts at offset " + start + "): compute it again");
  }

  /** Closes the consumer. */
  @Override
  public void close() {
    consumer.close();
  }
}

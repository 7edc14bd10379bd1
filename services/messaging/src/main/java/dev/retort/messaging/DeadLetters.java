package dev.retort.messaging;

import com.google.protobuf.ByteString;
import dev.retort.proto.v1.DeadLetter;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets aside records a service cannot process, on {@value Topics#DEAD_LETTERS}.
 *
 * <p>Each dead letter is a {@link DeadLetter}: where the record was (topic, partition, offset),
 * which service gave up, why, the time, and the original value, cut to {@code maxValueBytes}
 * (with {@code value_truncated} set) so a dead letter always fits in one record. The key is the
 * original key, so the dead letters of one job sit together. Used for records that will never
 * succeed (they do not parse, have an unknown schema version, or hold an impossible tensor), never
 * for transient failures.
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  /** Default bound on the original bytes kept: 64 KiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;

  private final Producer<String, byte[]> producer;
  private final String service;
  private final String topic;
  private final int maxValueBytes;
  private final Clock clock;

  private DeadLetters(Builder b) {
    this.producer = b.producer;
    this.service = b.service;
    this.topic = b.topic;
    this.maxValueBytes = b.maxValueBytes;
    this.clock = b.clock;
  }

  /**
   * Returns a builder.
   *
   * @param producer the producer to send with (settings of {@link ClientConfigs#producer})
   * @return the builder
   */
  public static Builder builder(Producer<String, byte[]> producer) {
    return new Builder(producer);
  }

  /**
   * Publishes a dead letter for a consumed record.
   *
   * @param source the record
   * @param reason why it cannot be processed
   * @return the dead letter's metadata once acknowledged
   */
  public CompletableFuture<RecordMetadata> publish(ConsumerRecord<String, byte[]> source,
      String reason) {
    return publish(source.topic(), source.partition(), source.offset(), source.key(),
        source.value(), reason);
  }

  /**
   * Publishes a dead letter.
   *
   * @param sourceTopic the topic of the original record
   * @param partition its partition
   * @param offset its offset
   * @param key its key (the dead letter's key); may be null
   * @param value its value; may be null
   * @param reason why it cannot be processed
   * @return the dead letter's metadata once acknowledged
   */
  public CompletableFuture<RecordMetadata> publish(String sourceTopic, int partition,
      long offset, String key, byte[] value, String reason) {
    DeadLetter letter = toDeadLetter(sourceTopic, partition, offset, value, reason);
    LOG.warn("Dead letter from {}-{}@{} (key {}): {}", sourceTopic, partition, offset, key,
        reason);
    CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(topic, key, letter.toByteArray()), (metadata, error) -> {
        if (error != null) {
          done.completeExceptionally(error);
        } else {
          done.complete(metadata);
        }
      });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  /**
   * Returns the dead letter for a record, without sending it.
   *
   * @param sourceTopic the topic of the original record
   * @param partition its partition
   * @param offset its offset
   * @param value its value; may be null
   * @param reason why it cannot be processed
   * @return the message
   */
  public DeadLetter toDeadLetter(String sourceTopic, int partition, long offset, byte[] value,
      String reason) {
    byte[] original = value == null ? new byte[0] : value;
    boolean truncated = original.length > maxValueBytes;
    byte[] kept = truncated ? Arrays.copyOf(original, maxValueBytes) : original;
    return DeadLetter.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setSourceTopic(sourceTopic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setService(service)
        .setReason(reason)
        .setValue(ByteString.copyFrom(kept))
        .setValueTruncated(truncated)
        .setTime(ProtoTimes.now(clock))
        .build();
  }

  /** Builds {@link DeadLetters}; the service name is required. */
  public static final class Builder {
    private final Producer<String, byte[]> producer;
    private String service;
    private String topic = Topics.DEAD_LETTERS;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private Clock clock = Clock.systemUTC();

    private Builder(Producer<String, byte[]> producer) {
      this.producer = Objects.requireNonNull(producer, "producer");
    }

    /** Sets the name of the service that gives up on records, e.g. {@code teacher-0} (required). */
    public Builder setService(String service) {
      this.service = service;
      return this;
    }

    /** Sets the dead-letter topic (default {@value Topics#DEAD_LETTERS}). */
    public Builder optTopic(String topic) {
      this.topic = topic;
      return this;
    }

    /** Sets how many bytes of the original value are kept (default 64 KiB). */
    public Builder optMaxValueBytes(int maxValueBytes) {
      this.maxValueBytes = maxValueBytes;
      return this;
    }

    /** Sets the clock of the dead letters' time (default UTC system clock). */
    public Builder optClock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Validates and returns the publisher. */
    public DeadLetters build() {
      if (service == null || service.isEmpty()) {
        throw new IllegalArgumentException("You must specify the service name (setService)");
      }
      if (maxValueBytes < 0) {
        throw new IllegalArgumentException("maxValueBytes must not be negative: " + maxValueBytes);
      }
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(clock, "clock");
      return new DeadLetters(this);
    }
  }
}

package dev.retort.messaging.service;

import dev.retort.messaging.DeadLetters;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;

/**
 * Sets a request aside on the dead-letter topic with the reason ({@link DeadLetters}), and waits
 * for the acknowledgement, so that the record is committed only once its dead letter is durable.
 * A dead letter that cannot be published is logged and reported to the caller, never thrown: the
 * caller then leaves the record uncommitted, so that it is delivered again rather than lost.
 */
public final class AwaitedDeadLetters {
  /** How long a dead letter may wait for its acknowledgement, in seconds. */
  private static final long TIMEOUT_SECONDS = 30;

  private final Supplier<Producer<String, byte[]>> producer;
  private final String service;
  private final int maxValueBytes;
  private final Runnable onPublished;
  private final Logger log;
  private volatile DeadLetters letters;

  private AwaitedDeadLetters(Builder b) {
    this.producer = b.producer;
    this.service = b.service;
    this.maxValueBytes = b.maxValueBytes;
    this.onPublished = b.onPublished;
    this.log = b.log;
  }

  /**
   * Returns a builder.
   *
   * @param producer returns the producer to send with; asked once, at the first dead letter
   * @return the builder
   */
  public static Builder builder(Supplier<Producer<String, byte[]>> producer) {
    return new Builder(producer);
  }

  /**
   * Publishes a dead letter for a record and waits up to 30 s for the acknowledgement.
   *
   * @param record the record
   * @param reason what is wrong with it
   * @return whether the dead letter was acknowledged; if not, the record must not be committed
   */
  public boolean publish(ConsumerRecord<String, byte[]> record, String reason) {
    try {
      letters().publish(record, reason).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      onPublished.run();
      return true;
    } catch (ExecutionException | TimeoutException e) {
      log.error("Could not publish the dead letter of {}-{}@{} ({}): {}; the record is left"
          + " uncommitted, to be delivered again", record.topic(), record.partition(),
          record.offset(), reason, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("Interrupted while publishing the dead letter of {}-{}@{}; the record is left"
          + " uncommitted", record.topic(), record.partition(), record.offset());
    }
    return false;
  }

  private DeadLetters letters() {
    DeadLetters d = letters;
    if (d == null) {
      d = DeadLetters.builder(producer.get()).setService(service)
          .optMaxValueBytes(maxValueBytes).build();
      letters = d;
    }
    return d;
  }

  /** Builds {@link AwaitedDeadLetters}; the service name and the logger are required. */
  public static final class Builder {
    private final Supplier<Producer<String, byte[]>> producer;
    private String service;
    private Logger log;
    private int maxValueBytes = DeadLetters.DEFAULT_MAX_VALUE_BYTES;
    private Runnable onPublished = () -> { };

    private Builder(Supplier<Producer<String, byte[]>> producer) {
      this.producer = Objects.requireNonNull(producer, "producer");
    }

    /** Sets the name of the service that gives up on records, e.g. {@code teacher-0} (required). */
    public Builder setService(String service) {
      this.service = service;
      return this;
    }

    /** Sets where failed dead letters are logged: the wrapping bean's logger (required). */
    public Builder setLogger(Logger log) {
      this.log = log;
      return this;
    }

    /** Sets how many bytes of the original value are kept (default 64 KiB). */
    public Builder optMaxValueBytes(int maxValueBytes) {
      this.maxValueBytes = maxValueBytes;
      return this;
    }

    /** Sets what runs after each acknowledged dead letter, e.g. a counter (default nothing). */
    public Builder optOnPublished(Runnable onPublished) {
      this.onPublished = Objects.requireNonNull(onPublished, "onPublished");
      return this;
    }

    /**
     * Validates and returns the sink. The service name and the bound are checked by {@link
     * DeadLetters} when the first dead letter is built.
     */
    public AwaitedDeadLetters build() {
      if (log == null) {
        throw new IllegalArgumentException("You must specify the logger (setLogger)");
      }
      return new AwaitedDeadLetters(this);
    }
  }
}

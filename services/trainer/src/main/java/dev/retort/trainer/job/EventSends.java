package dev.retort.trainer.job;

import dev.retort.messaging.Topics;
import dev.retort.messaging.TransientFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the trainer's job events and checkpoint announcements on its shared producer. Every send
 * has a callback: a failed one is logged with what it carried and counted in {@code
 * retort.trainer.sends.failed{topic}}. A send whose loss would leave a job hanging (the event
 * that ends it, the student's final announcement) is also awaited and, when the broker did not
 * take it for a reason that passes (a timeout, a retriable error), sent again after a doubling
 * back-off.
 */
final class EventSends {
  private static final Logger LOG = LoggerFactory.getLogger(EventSends.class);

  /** How long an awaited send may wait for its acknowledgement, per attempt. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** How often an awaited send is tried in all. */
  static final int ATTEMPTS = 3;

  private final Producer<String, byte[]> producer;
  private final MeterRegistry registry;
  private final Duration backoff;

  /**
   * Creates the sender.
   *
   * @param producer the trainer's producer
   * @param registry where {@code retort.trainer.sends.failed} is counted
   * @param backoff the wait before the second attempt of an awaited send, doubled after
   */
  EventSends(Producer<String, byte[]> producer, MeterRegistry registry, Duration backoff) {
    this.producer = producer;
    this.registry = registry;
    this.backoff = backoff;
    // Registered up front, so that dashboards show 0 rather than no data before the first one.
    failed(Topics.JOB_EVENTS);
    failed(Topics.CHECKPOINTS);
  }

  /**
   * Sends a record without waiting; a failure is logged and counted when the broker reports it.
   *
   * @param topic the topic
   * @param key the key (the job id)
   * @param value the encoded message
   * @param what what it carries, for the log
   */
  void send(String topic, String key, byte[] value, String what) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
        if (error != null) {
          lost(topic, what, error);
        }
      });
    } catch (RuntimeException e) { // a closed producer, a record over its limit
      lost(topic, what, e);
    }
  }

  /**
   * Sends a record and waits for the acknowledgement, sending it again after a failure that
   * passes, {@value #ATTEMPTS} times in all.
   *
   * @param topic the topic
   * @param key the key (the job id)
   * @param value the encoded message
   * @param what what it carries, for the log
   * @return the last failure, or null once acknowledged
   */
  Throwable sendAwaited(String topic, String key, byte[] value, String what) {
    Throwable error = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      error = attempt(topic, key, value);
      if (error == null) {
        return null;
      }
      if (!TransientFailures.isTransient(error) || attempt == ATTEMPTS) {
        break;
      }
      LOG.warn("{} was not acknowledged ({}); sending it again (attempt {} of {})", what, error,
          attempt + 1, ATTEMPTS);
      try {
        Thread.sleep(backoff.multipliedBy(1L << (attempt - 1)).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    lost(topic, what, error);
    return error;
  }

  private Throwable attempt(String topic, String key, byte[] value) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
        if (error != null) {
          done.completeExceptionally(error);
        } else {
          done.complete(null);
        }
      });
      done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException | RuntimeException e) {
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }

  private void lost(String topic, String what, Throwable error) {
    failed(topic).increment();
    LOG.error("Could not send {} to {}: {}", what, topic, error.toString());
  }

  private Counter failed(String topic) {
    return Counter.builder("retort.trainer.sends.failed").tag("topic", topic)
        .description("Job events and checkpoint announcements the broker did not take, by topic")
        .register(registry);
  }
}

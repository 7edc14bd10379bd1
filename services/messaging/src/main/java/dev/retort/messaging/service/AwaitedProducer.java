package dev.retort.messaging.service;

import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A service's one producer, each send waiting for its acknowledgement, so that a request is
 * committed only once what it produced is durable. The producer also carries the service's dead
 * letters ({@link #producer()}).
 */
public final class AwaitedProducer implements AutoCloseable {
  private final Producer<String, byte[]> producer;
  private final Duration timeout;

  /**
   * Wraps a producer.
   *
   * @param producer the producer (settings of {@code ClientConfigs#producer}); closed by {@link
   *     #close}
   * @param timeout how long a send may wait for its acknowledgement
   */
  public AwaitedProducer(Producer<String, byte[]> producer, Duration timeout) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** Returns the producer, for dead letters. */
  public Producer<String, byte[]> producer() {
    return producer;
  }

  /**
   * Sends a job event (key = job id, {@value Topics#JOB_EVENTS}) and waits for the
   * acknowledgement.
   *
   * @param event the event
   * @throws IllegalStateException if the send fails or times out
   */
  public void event(JobEvent event) {
    send(Topics.JOB_EVENTS, event.getJobId(), event.toByteArray());
  }

  /**
   * Sends a record and waits for the acknowledgement.
   *
   * @param topic the topic
   * @param key the key
   * @param value the value
   * @throws IllegalStateException if the send fails, times out or is interrupted
   */
  public void send(String topic, String key, byte[] value) {
    CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(metadata);
      }
    });
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot send to " + topic + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no acknowledgement from " + topic + " within "
          + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending to " + topic, e);
    }
  }

  /** Sends what is buffered and closes the producer. */
  @Override
  public void close() {
    producer.close();
  }
}

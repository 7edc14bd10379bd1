package dev.retort.loss.messaging;

import dev.retort.loss.config.Instance;
import dev.retort.loss.config.LossConfig;
import dev.retort.loss.metrics.ClientMetrics;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.LossReply;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends replies (key = job id, {@value Topics#LOSS_REPLIES}) and job events with the service's
 * one idempotent producer, waiting for each acknowledgement, so a request is committed only once
 * its reply is durable. The producer also carries the dead letters ({@link #producer()}).
 */
@ApplicationScoped
public class ReplyPublisher {
  private final KafkaClients clients;
  private final Instance instance;
  private final ClientMetrics clientMetrics;
  private final Duration timeout;
  private Producer<String, byte[]> producer;

  /**
   * Creates the publisher.
   *
   * @param clients the client factory
   * @param config the service settings
   * @param instance this replica
   * @param clientMetrics binds the producer's metrics
   */
  @Inject
  public ReplyPublisher(KafkaClients clients, LossConfig config, Instance instance,
      ClientMetrics clientMetrics) {
    this.clients = clients;
    this.instance = instance;
    this.clientMetrics = clientMetrics;
    this.timeout = config.publishing().timeout();
  }

  @PostConstruct
  void open() {
    producer = clients.producer(instance.service());
    clientMetrics.bind(producer);
  }

  /** Returns the producer, for dead letters. */
  public Producer<String, byte[]> producer() {
    return producer;
  }

  /**
   * Sends a reply and waits for the acknowledgement.
   *
   * @param reply the reply
   * @throws IllegalStateException if the send fails or times out
   */
  public void reply(LossReply reply) {
    send(Topics.LOSS_REPLIES, reply.getJobId(), reply.toByteArray());
  }

  /**
   * Sends a job event and waits for the acknowledgement.
   *
   * @param event the event
   * @throws IllegalStateException if the send fails or times out
   */
  public void event(JobEvent event) {
    send(Topics.JOB_EVENTS, event.getJobId(), event.toByteArray());
  }

  private void send(String topic, String key, byte[] value) {
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
  @PreDestroy
  public void close() {
    if (producer != null) {
      producer.close();
    }
  }
}

package dev.retort.loss.messaging;

import dev.retort.loss.config.Instance;
import dev.retort.loss.config.LossConfig;
import dev.retort.messaging.Topics;
import dev.retort.messaging.service.AwaitedProducer;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.LossReply;
import dev.retort.service.kafka.ClientMetrics;
import dev.retort.service.kafka.KafkaClients;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

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
  private AwaitedProducer sender;

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
    Producer<String, byte[]> producer = clients.producer(instance.service());
    clientMetrics.bind(producer);
    sender = new AwaitedProducer(producer, timeout);
  }

  /** Returns the producer, for dead letters. */
  public Producer<String, byte[]> producer() {
    return sender.producer();
  }

  /**
   * Sends a reply and waits for the acknowledgement.
   *
   * @param reply the reply
   * @throws IllegalStateException if the send fails or times out
   */
  public void reply(LossReply reply) {
    sender.send(Topics.LOSS_REPLIES, reply.getJobId(), reply.toByteArray());
  }

  /**
   * Sends a job event and waits for the acknowledgement.
   *
   * @param event the event
   * @throws IllegalStateException if the send fails or times out
   */
  public void event(JobEvent event) {
    sender.event(event);
  }

  /** Sends what is buffered and closes the producer. */
  @PreDestroy
  public void close() {
    if (sender != null) {
      sender.close();
    }
  }
}

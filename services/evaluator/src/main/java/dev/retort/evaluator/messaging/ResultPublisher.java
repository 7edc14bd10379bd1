package dev.retort.evaluator.messaging;

import dev.retort.evaluator.config.EvaluatorConfig;
import dev.retort.evaluator.config.Instance;
import dev.retort.messaging.Topics;
import dev.retort.messaging.service.AwaitedProducer;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.JobEvent;
import dev.retort.service.kafka.ClientMetrics;
import dev.retort.service.kafka.KafkaClients;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/**
 * Sends evaluation results ({@value Topics#EVAL_RESULTS}) and job events ({@value
 * Topics#JOB_EVENTS}), keyed by job id, with the service's one idempotent producer, waiting for
 * each acknowledgement. The producer also carries the dead letters ({@link #producer()}).
 */
@ApplicationScoped
public class ResultPublisher {
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
  public ResultPublisher(KafkaClients clients, EvaluatorConfig config, Instance instance,
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
   * Sends a result and waits for the acknowledgement.
   *
   * @param result the result
   * @throws IllegalStateException if the send fails or times out
   */
  public void result(EvaluationResult result) {
    sender.send(Topics.EVAL_RESULTS, result.getJobId(), result.toByteArray());
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

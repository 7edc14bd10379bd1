package dev.retort.evaluator.messaging;

import dev.retort.evaluator.config.EvaluatorConfig;
import dev.retort.evaluator.config.Instance;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.service.kafka.ClientMetrics;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.service.kafka.ServiceProducer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Sends evaluation results ({@value Topics#EVAL_RESULTS}) and job events ({@value
 * Topics#JOB_EVENTS}), keyed by job id, with the service's one idempotent producer, waiting for
 * each acknowledgement. The producer also carries the dead letters ({@link #producer()}).
 */
@Singleton
public class ResultPublisher extends ServiceProducer {
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
    super(clients, instance, clientMetrics, config.publishing().timeout());
  }

  /**
   * Sends a result and waits for the acknowledgement.
   *
   * @param result the result
   * @throws IllegalStateException if the send fails or times out
   */
  public void result(EvaluationResult result) {
    send(Topics.EVAL_RESULTS, result.getJobId(), result.toByteArray());
  }
}

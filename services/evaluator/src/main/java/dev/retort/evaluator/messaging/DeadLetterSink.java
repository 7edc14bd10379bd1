package dev.retort.evaluator.messaging;

import dev.retort.evaluator.config.EvaluatorConfig;
import dev.retort.evaluator.config.Instance;
import dev.retort.evaluator.metrics.EvaluatorMetrics;
import dev.retort.messaging.service.AwaitedDeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a request aside on the dead-letter topic with the reason, and waits for the
 * acknowledgement, so that the record is committed only once its dead letter is durable ({@link
 * AwaitedDeadLetters}, with the publisher's producer, counted by the service's metrics).
 */
@ApplicationScoped
public class DeadLetterSink {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

  private final AwaitedDeadLetters letters;

  /**
   * Creates the sink.
   *
   * @param publisher owns the producer
   * @param instance this replica
   * @param config the service settings
   * @param metrics counts dead letters
   */
  @Inject
  public DeadLetterSink(ResultPublisher publisher, Instance instance, EvaluatorConfig config,
      EvaluatorMetrics metrics) {
    this.letters = AwaitedDeadLetters.builder(publisher::producer)
        .setService(instance.service())
        .setLogger(LOG)
        .optMaxValueBytes(config.deadLetter().maxBytes())
        .optOnPublished(metrics::deadLetter)
        .build();
  }

  /**
   * Publishes a dead letter for a record.
   *
   * @param record the record
   * @param reason what is wrong with it
   */
  public void publish(ConsumerRecord<String, byte[]> record, String reason) {
    letters.publish(record, reason);
  }
}

package dev.retort.loss.messaging;

import dev.retort.loss.config.Instance;
import dev.retort.loss.config.LossConfig;
import dev.retort.loss.metrics.LossMetrics;
import dev.retort.service.kafka.ServiceDeadLetters;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.LoggerFactory;

/**
 * The loss service's dead letters: through the publisher's producer, cut to {@code
 * retort.loss.dead-letter.max-bytes}, counted by the service's metrics ({@link
 * ServiceDeadLetters}).
 */
@Singleton // no client proxy: its superclass has no no-arguments constructor to subclass
public class DeadLetterSink extends ServiceDeadLetters {
  /**
   * Creates the sink.
   *
   * @param publisher owns the producer
   * @param instance this replica
   * @param config the service settings
   * @param metrics counts dead letters
   */
  @Inject
  public DeadLetterSink(ReplyPublisher publisher, Instance instance, LossConfig config, LossMetrics metrics) {
    super(publisher::producer, instance, config.deadLetter().maxBytes(), metrics::deadLetter,
        LoggerFactory.getLogger(DeadLetterSink.class));
  }
}

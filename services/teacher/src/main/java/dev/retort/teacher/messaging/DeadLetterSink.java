package dev.retort.teacher.messaging;

import dev.retort.service.kafka.ServiceDeadLetters;
import dev.retort.teacher.config.Instance;
import dev.retort.teacher.config.TeacherConfig;
import dev.retort.teacher.metrics.TeacherMetrics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.LoggerFactory;

/**
 * The teacher service's dead letters: through the publisher's producer, cut to {@code
 * retort.teacher.dead-letter.max-bytes}, counted by the service's metrics ({@link
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
  public DeadLetterSink(OutputPublisher publisher, Instance instance, TeacherConfig config, TeacherMetrics metrics) {
    super(publisher::producer, instance, config.deadLetter().maxBytes(), metrics::deadLetter,
        LoggerFactory.getLogger(DeadLetterSink.class));
  }
}

package dev.retort.loss.messaging;

import dev.retort.messaging.DeadLetters;
import dev.retort.loss.config.Instance;
import dev.retort.loss.config.LossConfig;
import dev.retort.loss.metrics.LossMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a request aside on the dead-letter topic with the reason, and waits for the
 * acknowledgement, so that the record is committed only once its dead letter is durable.
 */
@ApplicationScoped
public class DeadLetterSink {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

  private final ReplyPublisher publisher;
  private final Instance instance;
  private final LossMetrics metrics;
  private final int maxBytes;
  private volatile DeadLetters letters;

  /**
   * Creates the sink.
   *
   * @param publisher owns the producer
   * @param instance this replica
   * @param config the service settings
   * @param metrics counts dead letters
   */
  @Inject
  public DeadLetterSink(ReplyPublisher publisher, Instance instance, LossConfig config,
      LossMetrics metrics) {
    this.publisher = publisher;
    this.instance = instance;
    this.metrics = metrics;
    this.maxBytes = config.deadLetter().maxBytes();
  }

  /**
   * Publishes a dead letter for a record.
   *
   * @param record the record
   * @param reason what is wrong with it
   */
  public void publish(ConsumerRecord<String, byte[]> record, String reason) {
    try {
      letters().publish(record, reason).get(30, TimeUnit.SECONDS);
      metrics.deadLetter();
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("Could not publish the dead letter of {}-{}@{} ({}): {}", record.topic(),
          record.partition(), record.offset(), reason, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private DeadLetters letters() {
    DeadLetters d = letters;
    if (d == null) {
      d = DeadLetters.builder(publisher.producer()).setService(instance.service())
          .optMaxValueBytes(maxBytes).build();
      letters = d;
    }
    return d;
  }
}

package dev.retort.service.kafka;

import dev.retort.messaging.service.AwaitedDeadLetters;
import dev.retort.service.setup.ReplicaName;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;

/**
 * Sets a request aside on the dead-letter topic with the reason, and waits for the
 * acknowledgement, so that the record is committed only once its dead letter is durable ({@link
 * AwaitedDeadLetters}). The letter names the replica ({@link ReplicaName#service()}).
 *
 * <p>Each service declares a one-constructor {@code DeadLetterSink} bean that extends this class
 * with its producer, its size limit and the counter of its metrics.
 */
public abstract class ServiceDeadLetters {
  private final AwaitedDeadLetters letters;

  /**
   * Creates the sink.
   *
   * @param producer the service's producer (looked up at each letter: it opens after this bean)
   * @param instance this replica
   * @param maxValueBytes how many bytes of the original value a letter keeps
   * @param onPublished called after each acknowledged letter (the service's counter)
   * @param log where each letter is logged
   */
  protected ServiceDeadLetters(Supplier<Producer<String, byte[]>> producer, ReplicaName instance,
      int maxValueBytes, Runnable onPublished, Logger log) {
    this.letters = AwaitedDeadLetters.builder(producer)
        .setService(instance.service())
        .setLogger(log)
        .optMaxValueBytes(maxValueBytes)
        .optOnPublished(onPublished)
        .build();
  }

  /**
   * Publishes a dead letter for a record and waits for the acknowledgement (30 s at most).
   *
   * @param record the record
   * @param reason what is wrong with it
   * @return whether the dead letter was acknowledged; if not, the record must not be committed
   *     ({@link Handled#RETRY})
   */
  public boolean publish(ConsumerRecord<String, byte[]> record, String reason) {
    return letters.publish(record, reason);
  }
}

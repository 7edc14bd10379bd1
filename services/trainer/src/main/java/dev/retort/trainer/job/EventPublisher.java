package dev.retort.trainer.job;

import dev.retort.messaging.JobEvents;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes job events on {@value Topics#JOB_EVENTS}, keyed by job id. */
public final class EventPublisher {
  private final Producer<String, byte[]> producer;
  private final JobEvents events;

  /**
   * Creates the publisher.
   *
   * @param producer the producer
   * @param events builds events with this replica as source
   */
  public EventPublisher(Producer<String, byte[]> producer, JobEvents events) {
    this.producer = producer;
    this.events = events;
  }

  /** Returns the event factory. */
  public JobEvents events() {
    return events;
  }

  /** Publishes an event. */
  public void publish(JobEvent e) {
    producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, e.getJobId(), e.toByteArray()));
  }
}

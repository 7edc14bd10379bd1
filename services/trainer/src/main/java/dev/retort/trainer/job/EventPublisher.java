package dev.retort.trainer.job;

import dev.retort.messaging.JobEvents;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/**
 * Publishes job events on {@value Topics#JOB_EVENTS}, keyed by job id.
 *
 * <p>An event that ends a job (finished, rejected, cancelled, or failed without {@code
 * job_continues}) is awaited and sent again after a failure that passes: lost, it leaves whoever
 * follows the job waiting for ever. Other events (accepted, progress, checkpoint) are sent with a
 * callback. Either way a send that fails is logged and counted in {@code
 * retort.trainer.sends.failed{topic}} ({@link EventSends}); it never throws into the job, whose
 * {@code state.json} still records how it ended.
 */
public final class EventPublisher {
  private final EventSends sends;
  private final JobEvents events;

  /**
   * Creates the publisher; failures are counted in Micrometer's global registry, to which Quarkus
   * adds its own (the trainer builds this class at start-up, outside CDI).
   *
   * @param producer the producer
   * @param events builds events with this replica as source
   */
  public EventPublisher(Producer<String, byte[]> producer, JobEvents events) {
    this(producer, events, Metrics.globalRegistry, Duration.ofSeconds(1));
  }

  /**
   * Creates the publisher.
   *
   * @param producer the producer
   * @param events builds events with this replica as source
   * @param registry where failed sends are counted
   * @param backoff the wait before an ending event is sent again, doubled after
   */
  EventPublisher(Producer<String, byte[]> producer, JobEvents events, MeterRegistry registry,
      Duration backoff) {
    this.sends = new EventSends(producer, registry, backoff);
    this.events = events;
  }

  /** Returns the event factory. */
  public JobEvents events() {
    return events;
  }

  /** Publishes an event; one that ends a job is awaited and sent again if need be. */
  public void publish(JobEvent e) {
    String what = "the " + e.getKindCase().name().toLowerCase(java.util.Locale.ROOT)
        + " event of job " + e.getJobId();
    if (ends(e)) {
      sends.sendAwaited(Topics.JOB_EVENTS, e.getJobId(), e.toByteArray(), what);
    } else {
      sends.send(Topics.JOB_EVENTS, e.getJobId(), e.toByteArray(), what);
    }
  }

  /** Returns whether an event ends its job. */
  static boolean ends(JobEvent e) {
    return e.hasFinished() || e.hasRejected() || e.hasCancelled()
        || (e.hasFailed() && !e.getFailed().getJobContinues());
  }
}

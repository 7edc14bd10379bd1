package dev.retort.loss.messaging;

import dev.retort.service.health.HandlerWatch;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The {@value #CHANNEL} channel: loss requests (group {@code retort-loss}), served one at a time
 * in order on a worker thread, so a job's steps are answered in the order they were asked.
 *
 * <p>A record is acknowledged when this method returns; it never throws, since the handler
 * dead-letters every failure.
 */
@ApplicationScoped
public class LossRequestConsumer {
  /** The channel name, shared with the configuration and the tests. */
  public static final String CHANNEL = "loss-requests";

  private final LossRequestHandler handler;
  private final HandlerWatch watch;

  /**
   * Creates the consumer.
   *
   * @param handler serves one request
   * @param watch the liveness watch
   */
  @Inject
  public LossRequestConsumer(LossRequestHandler handler, HandlerWatch watch) {
    this.handler = handler;
    this.watch = watch;
  }

  /**
   * Serves one request.
   *
   * @param record the record, key = job id, value = LossRequest bytes
   */
  @Incoming(CHANNEL)
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, byte[]> record) {
    long token = watch.begin();
    try {
      handler.handle(record);
    } finally {
      watch.end(token);
    }
  }
}

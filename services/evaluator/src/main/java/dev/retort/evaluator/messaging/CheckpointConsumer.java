package dev.retort.evaluator.messaging;

import dev.retort.service.health.HandlerWatch;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The {@value #CHANNEL} channel: checkpoint announcements (group {@code retort-evaluator}),
 * evaluated one at a time in order on a worker thread, so a job's checkpoints are judged in the
 * order they were written.
 *
 * <p>A record is acknowledged when this method returns; it never throws, since the handler
 * dead-letters every failure.
 */
@ApplicationScoped
public class CheckpointConsumer {
  /** The channel name, shared with the configuration and the tests. */
  public static final String CHANNEL = "checkpoints";

  private final CheckpointHandler handler;
  private final HandlerWatch watch;

  /**
   * Creates the consumer.
   *
   * @param handler serves one announcement
   * @param watch the liveness watch
   */
  @Inject
  public CheckpointConsumer(CheckpointHandler handler, HandlerWatch watch) {
    this.handler = handler;
    this.watch = watch;
  }

  /**
   * Evaluates one announced checkpoint.
   *
   * @param record the record, key = job id, value = CheckpointReady bytes
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

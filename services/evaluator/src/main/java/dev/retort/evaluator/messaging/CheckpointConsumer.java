package dev.retort.evaluator.messaging;

import dev.retort.evaluator.config.EvaluatorConfig;
import dev.retort.evaluator.metrics.EvaluatorMetrics;
import dev.retort.service.health.HandlerWatch;
import dev.retort.service.kafka.RecordSettler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.slf4j.LoggerFactory;

/**
 * The {@value #CHANNEL} channel: checkpoint announcements (group {@code retort-evaluator}),
 * evaluated one at a time in order on a worker thread, so a job's checkpoints are judged in the
 * order they were written.
 *
 * <p>A record is acknowledged once its results, or its dead letter, are acknowledged. One that
 * fails for a transient reason (a send not acknowledged in time, a dead letter the broker did not
 * take) is handled again after {@code retort.evaluator.publishing.retry-backoff}, doubled each
 * time, up to {@code retort.evaluator.publishing.retries} times, and then left unacknowledged
 * ({@link RecordSettler}): it is delivered again after a rebalance or a restart. The method never
 * throws.
 */
@ApplicationScoped
public class CheckpointConsumer {
  /** The channel name, shared with the configuration and the tests. */
  public static final String CHANNEL = "checkpoints";

  private final CheckpointHandler handler;
  private final RecordSettler settler;

  /**
   * Creates the consumer.
   *
   * @param handler serves one announcement
   * @param watch the liveness watch
   * @param config the service settings ({@code retort.evaluator.publishing.retries,
   *     retry-backoff})
   * @param metrics counts retries and records left uncommitted
   */
  @Inject
  public CheckpointConsumer(CheckpointHandler handler, HandlerWatch watch, EvaluatorConfig config,
      EvaluatorMetrics metrics) {
    this.handler = handler;
    this.settler = RecordSettler.builder(watch)
        .setRetries(config.publishing().retries(), config.publishing().retryBackoff())
        .setLogger(LoggerFactory.getLogger(CheckpointConsumer.class))
        .optOnRetry(metrics::retried)
        .optOnUncommitted(metrics::leftUncommitted)
        .build();
  }

  /**
   * Evaluates one announced checkpoint, and acknowledges it unless it is left uncommitted.
   *
   * @param message the record, key = job id, value = CheckpointReady bytes
   * @return the acknowledgement, or nothing for a record left uncommitted
   */
  @Incoming(CHANNEL)
  @Blocking(ordered = true)
  public CompletionStage<Void> consume(Message<ConsumerRecord<String, byte[]>> message) {
    return settler.settle(message.getPayload(), handler::handle)
        ? message.ack() : CompletableFuture.completedFuture(null);
  }
}

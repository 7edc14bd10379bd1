package dev.retort.loss.messaging;

import dev.retort.loss.config.LossConfig;
import dev.retort.loss.metrics.LossMetrics;
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
 * The {@value #CHANNEL} channel: loss requests (group {@code retort-loss}), served one at a time
 * in order on a worker thread, so a job's steps are answered in the order they were asked.
 *
 * <p>A record is acknowledged once it is answered or its dead letter is acknowledged. One that
 * fails for a transient reason (a send not acknowledged in time, a dead letter the broker did not
 * take) is served again after {@code retort.loss.publishing.retry-backoff}, doubled each time, up
 * to {@code retort.loss.publishing.retries} times, and then left unacknowledged ({@link
 * RecordSettler}): it is delivered again after a rebalance or a restart. The method never throws.
 */
@ApplicationScoped
public class LossRequestConsumer {
  /** The channel name, shared with the configuration and the tests. */
  public static final String CHANNEL = "loss-requests";

  private final LossRequestHandler handler;
  private final RecordSettler settler;

  /**
   * Creates the consumer.
   *
   * @param handler serves one request
   * @param watch the liveness watch
   * @param config the service settings ({@code retort.loss.publishing.retries, retry-backoff})
   * @param metrics counts retries and records left uncommitted
   */
  @Inject
  public LossRequestConsumer(LossRequestHandler handler, HandlerWatch watch, LossConfig config,
      LossMetrics metrics) {
    this.handler = handler;
    this.settler = RecordSettler.builder(watch)
        .setRetries(config.publishing().retries(), config.publishing().retryBackoff())
        .setLogger(LoggerFactory.getLogger(LossRequestConsumer.class))
        .optOnRetry(metrics::retried)
        .optOnUncommitted(metrics::leftUncommitted)
        .build();
  }

  /**
   * Serves one request, and acknowledges it unless it is left uncommitted.
   *
   * @param message the record, key = job id, value = LossRequest bytes
   * @return the acknowledgement, or nothing for a record left uncommitted
   */
  @Incoming(CHANNEL)
  @Blocking(ordered = true)
  public CompletionStage<Void> consume(Message<ConsumerRecord<String, byte[]>> message) {
    return settler.settle(message.getPayload(), handler::handle)
        ? message.ack() : CompletableFuture.completedFuture(null);
  }
}

package dev.retort.teacher.messaging;

import dev.retort.messaging.ServiceFailures;
import dev.retort.messaging.TransientFailures;
import dev.retort.service.health.HandlerWatch;
import dev.retort.service.kafka.Handled;
import dev.retort.service.kafka.RecordSettler;
import dev.retort.teacher.config.TeacherConfig;
import dev.retort.teacher.metrics.TeacherMetrics;
import dev.retort.teacher.metrics.TeacherMetrics.Rejection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #CHANNEL} channel: teacher requests one record at a time (group {@code
 * retort-teacher}, so up to 8 replicas share the 8 partitions), served on the {@value #POOL}
 * worker pool: computed in offset order within a partition, acknowledged out of order.
 *
 * <p>The pool runs up to {@value #POOL_THREADS} records at once; {@link WorkerSlots} lets N of
 * them compute ({@code retort.teacher.workers}) and N publish, and the rest wait for a slot. A
 * record is acknowledged after its output is on the log (or its dead letter is acknowledged); the
 * channel's {@code throttled} commit strategy commits the highest offset below which every record
 * is acknowledged, so a crash loses nothing, it only recomputes. A record that fails for a
 * transient reason (a send not acknowledged in time, a dead letter the broker did not take) is
 * handled again after {@code retort.teacher.publishing.retry-backoff}, doubled each time, up to
 * {@code retort.teacher.publishing.retries} times, and then left unacknowledged ({@link
 * RecordSettler}): it is delivered again after a rebalance or a restart. The method never throws.
 */
@ApplicationScoped
public class TeacherRequestConsumer {
  /** The channel name, shared with the configuration and the tests. */
  public static final String CHANNEL = "teacher-requests";

  /** The worker pool of the channel ({@code smallrye.messaging.worker.<pool>.max-concurrency}). */
  public static final String POOL = "teacher-workers";

  /** Its threads: 2N for the largest N of {@code retort.teacher.workers}. */
  public static final int POOL_THREADS = 2 * TeacherConfig.MAX_WORKERS;

  private static final Logger LOG = LoggerFactory.getLogger(TeacherRequestConsumer.class);

  private final TeacherRequestHandler handler;
  private final DeadLetterSink deadLetters;
  private final TeacherMetrics metrics;
  private final WorkerSlots slots;
  private final RecordSettler settler;

  /**
   * Creates the consumer.
   *
   * @param handler serves one request
   * @param deadLetters for failures the handler did not expect
   * @param metrics the meters
   * @param watch the liveness watch
   * @param config the service settings ({@code retort.teacher.workers}, {@code
   *     retort.teacher.publishing.retries} and {@code retry-backoff})
   * @param registry for {@code retort.teacher.requests.out-of-turn}
   */
  @Inject
  public TeacherRequestConsumer(TeacherRequestHandler handler, DeadLetterSink deadLetters,
      TeacherMetrics metrics, HandlerWatch watch, TeacherConfig config, MeterRegistry registry) {
    this.handler = handler;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.slots = new WorkerSlots(TeacherConfig.checkWorkers(config.workers()));
    this.settler = RecordSettler.builder(watch)
        .setRetries(config.publishing().retries(), config.publishing().retryBackoff())
        .setLogger(LOG)
        .optOnRetry(metrics::retried)
        .optOnUncommitted(metrics::leftUncommitted)
        .build();
    FunctionCounter.builder("retort.teacher.requests.out-of-turn", slots,
            WorkerSlots::lateAdmissions)
        .description("Teacher requests computed before an earlier request of their partition,"
            + " which had not reached the workers within 50 ms")
        .register(registry);
  }

  /**
   * Serves one request, and acknowledges it unless it is left uncommitted.
   *
   * @param message the polled record, value = TeacherRequest bytes
   * @return the acknowledgement, or nothing for a record left uncommitted
   */
  @Incoming(CHANNEL)
  @Blocking(value = POOL, ordered = false)
  public CompletionStage<Void> consume(Message<ConsumerRecord<String, byte[]>> message) {
    metrics.polled(1);
    try {
      return settler.settle(message.getPayload(), this::serve)
          ? message.ack() : CompletableFuture.completedFuture(null);
    } finally {
      metrics.served(1);
    }
  }

  private Handled serve(ConsumerRecord<String, byte[]> record) {
    try {
      handler.awaitIndex();
      return handler.handle(record, slots);
    } catch (Throwable e) { // Errors too: the channel would acknowledge the record and lose it
      if (TransientFailures.isTransient(e)) {
        LOG.warn("{}-{}@{} failed for a transient reason: {}", record.topic(), record.partition(),
            record.offset(), e.toString());
        return Handled.RETRY;
      }
      LOG.error("Unexpected failure on {}-{}@{}", record.topic(), record.partition(),
          record.offset(), e);
      if (!deadLetters.publish(record, ServiceFailures.reason("the teacher service", e))) {
        return Handled.RETRY;
      }
      metrics.rejected(Rejection.INTERNAL);
      return Handled.DONE;
    } finally {
      // Served, skipped, dead-lettered or to be handled again: the later requests of its
      // partition stop waiting for it (a retry is in turn: its offset is not above the turn).
      slots.done(new TopicPartition(record.topic(), record.partition()), record.offset());
    }
  }
}

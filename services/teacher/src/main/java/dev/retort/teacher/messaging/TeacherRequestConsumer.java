package dev.retort.teacher.messaging;

import dev.retort.messaging.ServiceFailures;
import dev.retort.service.health.HandlerWatch;
import dev.retort.teacher.config.TeacherConfig;
import dev.retort.teacher.metrics.TeacherMetrics;
import dev.retort.teacher.metrics.TeacherMetrics.Rejection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #CHANNEL} channel: teacher requests one record at a time (group {@code
 * retort-teacher}, so up to 8 replicas share the 8 partitions), served on the {@value #POOL}
 * worker pool: computed in offset order within a partition, acknowledged out of order.
 *
 * <p>The pool runs up to {@value #POOL_THREADS} records at once; {@link WorkerSlots} lets N of
 * them compute ({@code retort.teacher.workers}) and N publish, and the rest wait for a slot. A
 * record is acknowledged when this method returns, after its output is on the log (or its dead
 * letter is); the channel's {@code throttled} commit strategy commits the highest offset below
 * which every record is acknowledged, so a crash loses nothing, it only recomputes. The method
 * never throws, since every failure is dead-lettered.
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
  private final HandlerWatch watch;
  private final WorkerSlots slots;

  /**
   * Creates the consumer.
   *
   * @param handler serves one request
   * @param deadLetters for failures the handler did not expect
   * @param metrics the meters
   * @param watch the liveness watch
   * @param config the service settings ({@code retort.teacher.workers})
   * @param registry for {@code retort.teacher.requests.out-of-turn}
   */
  @Inject
  public TeacherRequestConsumer(TeacherRequestHandler handler, DeadLetterSink deadLetters,
      TeacherMetrics metrics, HandlerWatch watch, TeacherConfig config, MeterRegistry registry) {
    this.handler = handler;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.watch = watch;
    this.slots = new WorkerSlots(TeacherConfig.checkWorkers(config.workers()));
    FunctionCounter.builder("retort.teacher.requests.out-of-turn", slots,
            WorkerSlots::lateAdmissions)
        .description("Teacher requests computed before an earlier request of their partition,"
            + " which had not reached the workers within 50 ms")
        .register(registry);
  }

  /**
   * Serves one request.
   *
   * @param record the polled record, value = TeacherRequest bytes
   */
  @Incoming(CHANNEL)
  @Blocking(value = POOL, ordered = false)
  public void consume(ConsumerRecord<String, byte[]> record) {
    long token = watch.begin();
    metrics.polled(1);
    try {
      handler.awaitIndex();
      handler.handle(record, slots);
    } catch (Throwable e) { // Errors too: the channel would acknowledge the record and lose it
      LOG.error("Unexpected failure on {}-{}@{}", record.topic(), record.partition(),
          record.offset(), e);
      metrics.rejected(Rejection.INTERNAL);
      deadLetters.publish(record, ServiceFailures.reason("the teacher service", e));
    } finally {
      // Served, skipped or dead-lettered: the later requests of its partition stop waiting for it.
      slots.done(new TopicPartition(record.topic(), record.partition()), record.offset());
      metrics.served(1);
      watch.end(token);
    }
  }
}

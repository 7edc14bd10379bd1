package dev.retort.teacher.messaging;

import dev.retort.teacher.health.HandlerWatch;
import dev.retort.teacher.metrics.TeacherMetrics;
import dev.retort.teacher.metrics.TeacherMetrics.Rejection;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #CHANNEL} channel: teacher requests in batches (group {@code retort-teacher}, so up
 * to 8 replicas share the 8 partitions), served one after the other on a worker thread.
 *
 * <p>At most {@code max.poll.records} requests are being served at a time: the channel hands over
 * the next batch only after this method returns (metered as {@code
 * retort.teacher.requests.pending}).
 *
 * <p>Each output is published on the {@link PublishPipeline}'s thread while the next request of
 * the batch is computed. The batch is acknowledged (and its offsets committed) when this method
 * returns, which is after the pipeline has drained: only requests whose outputs are on the log, or
 * whose dead letters are, are ever committed. The method never throws, since every failure is
 * dead-lettered by the handler.
 */
@ApplicationScoped
public class TeacherRequestConsumer {
  /** The channel name, shared with the configuration and the tests. */
  public static final String CHANNEL = "teacher-requests";

  private static final Logger LOG = LoggerFactory.getLogger(TeacherRequestConsumer.class);

  private final TeacherRequestHandler handler;
  private final DeadLetterSink deadLetters;
  private final TeacherMetrics metrics;
  private final HandlerWatch watch;
  private final PublishPipeline pipeline = new PublishPipeline("teacher-publisher");

  /**
   * Creates the consumer.
   *
   * @param handler serves one request
   * @param deadLetters for failures the handler did not expect
   * @param metrics the meters
   * @param watch the liveness watch
   */
  @Inject
  public TeacherRequestConsumer(TeacherRequestHandler handler, DeadLetterSink deadLetters,
      TeacherMetrics metrics, HandlerWatch watch) {
    this.handler = handler;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.watch = watch;
  }

  /**
   * Serves a batch of requests.
   *
   * @param records the polled records, values are TeacherRequest bytes
   */
  @Incoming(CHANNEL)
  @Blocking
  public void consume(ConsumerRecords<String, byte[]> records) {
    watch.begin();
    int left = records.count();
    metrics.polled(left);
    try {
      handler.awaitIndex();
      for (ConsumerRecord<String, byte[]> record : records) {
        try {
          handler.handle(record, pipeline);
        } catch (RuntimeException e) {
          LOG.error("Unexpected failure on {}-{}@{}", record.topic(), record.partition(),
              record.offset(), e);
          metrics.rejected(Rejection.INTERNAL);
          deadLetters.publish(record, "the teacher service failed: " + e);
        } finally {
          metrics.served(1);
          left--;
        }
      }
    } finally {
      pipeline.drain();
      metrics.served(left);
      watch.end();
    }
  }

  /** Waits for the output being published, if any. */
  @PreDestroy
  void close() {
    pipeline.close();
  }
}

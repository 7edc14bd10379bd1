package dev.retort.teacher.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The teacher service's own meters (Prometheus names in brackets).
 *
 * <ul>
 *   <li>{@code retort.teacher.batches} [{@code retort_teacher_batches_total}]: requests polled.
 *   <li>{@code retort.teacher.examples} [{@code retort_teacher_examples_total}]: examples run
 *       through the teacher.
 *   <li>{@code retort.teacher.outputs{source=computed|skipped-duplicate}}: outputs published, and
 *       requests answered by an output already in the log or in flight.
 *   <li>{@code retort.teacher.inference} (timer) [{@code retort_teacher_inference_seconds_*}]:
 *       forward pass and copy.
 *   <li>{@code retort.teacher.publish} (timer): sending an output and its index entry.
 *   <li>{@code retort.teacher.published.bytes} [{@code retort_teacher_published_bytes_total}]:
 *       bytes of serialized outputs.
 *   <li>{@code retort.teacher.rejected{reason}}: requests not served, by {@link Rejection}.
 *   <li>{@code retort.teacher.deadletters}: dead letters published.
 *   <li>{@code retort.teacher.retries}: requests handled again after a transient failure (an
 *       output, index entry or dead letter the broker did not take in time); {@code
 *       retort.teacher.uncommitted}: requests left uncommitted after their retries, to be
 *       delivered again.
 *   <li>{@code retort.teacher.requests.pending} (gauge) [{@code retort_teacher_requests_pending}]:
 *       requests a worker of this replica has taken and not yet served (computing, publishing or
 *       waiting for a slot). The channel's worker pool has 8 threads, so this stays at most 8 per
 *       replica; the connector fetches a bounded number of polls ahead and then pauses the
 *       consumer, so further requests wait in Kafka (consumer lag), not in memory. That is the
 *       teacher's back-pressure.
 *   <li>{@code retort.teacher.requests.pending.max} (gauge): the highest value of the former since
 *       start-up, so a test or an alert sees a peak that falls between two scrapes.
 * </ul>
 *
 * Gauges registered elsewhere: {@code retort.teacher.models.cached}, {@code
 * retort.teacher.model.loads} (counter), {@code retort.teacher.index.entries}, {@code
 * retort.teacher.inflight}, {@code retort.teacher.requests.out-of-turn} (counter: requests computed
 * before an earlier request of their partition that did not come in time; see {@code
 * WorkerSlots}).
 */
@Startup
@ApplicationScoped
public class TeacherMetrics {
  private final Counter batches;
  private final Counter examples;
  private final Counter computed;
  private final Counter skipped;
  private final Counter publishedBytes;
  private final Counter deadLetters;
  private final Counter retries;
  private final Counter uncommitted;
  private final Timer inference;
  private final Timer publish;
  private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger pendingMax = new AtomicInteger();

  /** Why a request was not served: the {@code reason} tag of {@code retort.teacher.rejected}. */
  public enum Rejection {
    /** The value is not a current TeacherRequest. */
    UNDECODABLE,
    /** The request is malformed or does not fit the teacher. */
    INVALID,
    /** The teacher reference cannot be loaded. */
    MODEL,
    /**
     * The output can never be published as it is (e.g. larger than the broker takes); a send that
     * merely timed out is retried instead.
     */
    PUBLISH,
    /** A bug: an unexpected exception. */
    INTERNAL;

    /** Returns the tag value. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Registers the meters.
   *
   * @param registry the registry
   */
  @Inject
  public TeacherMetrics(MeterRegistry registry) {
    batches = Counter.builder("retort.teacher.batches")
        .description("Teacher requests (padded batches) received").register(registry);
    examples = Counter.builder("retort.teacher.examples")
        .description("Examples run through the teacher").register(registry);
    computed = Counter.builder("retort.teacher.outputs").tag("source", "computed")
        .description("Teacher outputs published, by source").register(registry);
    skipped = Counter.builder("retort.teacher.outputs").tag("source", "skipped-duplicate")
        .description("Teacher outputs published, by source").register(registry);
    publishedBytes = Counter.builder("retort.teacher.published.bytes").baseUnit("bytes")
        .description("Bytes of serialized teacher outputs published").register(registry);
    deadLetters = Counter.builder("retort.teacher.deadletters")
        .description("Dead letters published").register(registry);
    retries = Counter.builder("retort.teacher.retries")
        .description("Teacher requests handled again after a transient failure").register(registry);
    uncommitted = Counter.builder("retort.teacher.uncommitted")
        .description("Teacher requests left uncommitted after their retries, to be delivered again")
        .register(registry);
    inference = Timer.builder("retort.teacher.inference")
        .description("Teacher forward pass of one batch, outputs copied out").register(registry);
    publish = Timer.builder("retort.teacher.publish")
        .description("Sending one output (all chunks) and its index entry").register(registry);
    for (Rejection r : Rejection.values()) {
      rejected.put(r, Counter.builder("retort.teacher.rejected").tag("reason", r.tag())
          .description("Teacher requests not served, by reason").register(registry));
    }
    Gauge.builder("retort.teacher.requests.pending", pending, AtomicInteger::get)
        .description("Teacher requests taken by a worker and not yet served (at most 8)")
        .register(registry);
    Gauge.builder("retort.teacher.requests.pending.max", pendingMax, AtomicInteger::get)
        .description("Highest number of teacher requests taken by a worker and not yet served")
        .register(registry);
  }

  /**
   * Counts requests taken by a worker, before they are served.
   *
   * @param count how many
   */
  public void polled(int count) {
    int now = pending.addAndGet(count);
    pendingMax.accumulateAndGet(now, Math::max);
  }

  /**
   * Counts polled requests that were served, skipped or rejected.
   *
   * @param count how many
   */
  public void served(int count) {
    pending.addAndGet(-count);
  }

  /** Counts a received request. */
  public void received() {
    batches.increment();
  }

  /**
   * Counts a computed and published output.
   *
   * @param exampleCount B
   * @param bytes the serialized output's size
   * @param inferenceMillis the forward pass
   * @param publishMillis sending output and index entry
   */
  public void computed(int exampleCount, long bytes, double inferenceMillis,
      double publishMillis) {
    examples.increment(exampleCount);
    computed.increment();
    publishedBytes.increment(bytes);
    inference.record(Duration.ofNanos((long) (inferenceMillis * 1e6)));
    publish.record(Duration.ofNanos((long) (publishMillis * 1e6)));
  }

  /** Counts a request answered by an output that exists or is being computed. */
  public void skippedDuplicate() {
    skipped.increment();
  }

  /**
   * Counts a request that was not served, and its dead letter.
   *
   * @param reason why
   */
  public void rejected(Rejection reason) {
    rejected.get(reason).increment();
  }

  /** Counts a published dead letter. */
  public void deadLetter() {
    deadLetters.increment();
  }

  /** Counts a request handled again after a transient failure. */
  public void retried() {
    retries.increment();
  }

  /** Counts a request left uncommitted after its retries. */
  public void leftUncommitted() {
    uncommitted.increment();
  }
}

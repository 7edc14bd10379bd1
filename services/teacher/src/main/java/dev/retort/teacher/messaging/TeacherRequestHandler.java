package dev.retort.teacher.messaging;

import dev.retort.core.RetortException;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.Decoded;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.TensorCodec;
import dev.retort.messaging.TransientFailures;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.service.kafka.Handled;
import dev.retort.teacher.config.Instance;
import dev.retort.teacher.config.TeacherConfig;
import dev.retort.teacher.inference.ComputedOutput;
import dev.retort.teacher.inference.TeacherInference;
import dev.retort.teacher.inference.TeacherModels;
import dev.retort.teacher.inference.TeacherModels.Lease;
import dev.retort.teacher.metrics.TeacherMetrics;
import dev.retort.teacher.metrics.TeacherMetrics.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one teacher request: decode, claim its key, skip it if the output exists, load the
 * teacher, run it holding a compute slot, then encode and publish the output and its index entry
 * holding a publish slot ({@link WorkerSlots}: the next request computes meanwhile). A request
 * that cannot be served is dead-lettered with the reason, so the channel goes on with the next
 * one. A publish that fails for a transient reason (not acknowledged within {@code
 * retort.teacher.publishing.timeout}, a retriable Kafka error) is not the request's fault: it is
 * never dead-lettered, the request is handled again or left uncommitted ({@link Handled#RETRY}).
 */
@ApplicationScoped
public class TeacherRequestHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherRequestHandler.class);
  private static final ProtoSerde<TeacherRequest> SERDE =
      ProtoSerde.of(TeacherRequest.getDefaultInstance());

  private final TeacherOutputMapper mapper;
  private final Deduplicator dedup;
  private final TeacherModels models;
  private final OutputPublisher publisher;
  private final DeadLetterSink deadLetters;
  private final TeacherMetrics metrics;
  private final Instance instance;
  private final Duration catchUpTimeout;

  /**
   * Creates the handler.
   *
   * @param config the service settings
   * @param dedup the duplicate check
   * @param models the teacher cache
   * @param publisher publishes outputs
   * @param deadLetters publishes dead letters
   * @param metrics the meters
   * @param instance this replica
   */
  @Inject
  public TeacherRequestHandler(TeacherConfig config, Deduplicator dedup, TeacherModels models,
      OutputPublisher publisher, DeadLetterSink deadLetters, TeacherMetrics metrics,
      Instance instance) {
    this.mapper = new TeacherOutputMapper(config.limits().maxBatchTokens());
    this.dedup = dedup;
    this.models = models;
    this.publisher = publisher;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.instance = instance;
    this.catchUpTimeout = config.index().catchUpTimeout();
  }

  /**
   * Waits (once, after start-up) for the index view, so outputs computed before a restart are not
   * computed again; after the timeout requests are served anyway.
   */
  public void awaitIndex() {
    if (!dedup.caughtUp() && !dedup.awaitCaughtUp(catchUpTimeout)) {
      LOG.warn("The teacher index view has not caught up within {} s; serving requests anyway",
          catchUpTimeout.toSeconds());
    }
  }

  /**
   * Serves one request record on the calling worker thread: computes its output holding a compute
   * slot, then publishes it holding a publish slot, so that another worker computes meanwhile.
   * Returns once the output is on the log, or dead-lettered, or the request was skipped.
   *
   * @param record the record, value = TeacherRequest
   * @param slots the compute and publish slots shared by the workers
   * @return {@link Handled#DONE} once published, skipped or dead-lettered; {@link Handled#RETRY}
   *     when a send was not acknowledged in time or failed with a retriable error, or the dead
   *     letter was not acknowledged: the record must not be committed
   */
  public Handled handle(ConsumerRecord<String, byte[]> record, WorkerSlots slots) {
    metrics.received();
    Decoded<TeacherRequest> decoded = SERDE.decode(record.value());
    if (!decoded.isOk()) {
      return reject(record, Rejection.UNDECODABLE, decoded.reason());
    }
    TeacherRequest request = decoded.value();
    TeacherTask task;
    try {
      task = mapper.toTask(request);
    } catch (BadMessageException e) {
      return reject(record, Rejection.INVALID, e.reason());
    }
    // Another worker may hold the key (a duplicate request): wait until its output is indexed, or
    // until it gives the key up because its publish failed. Then this request is computed again.
    if (dedup.claim(task.key())) {
      LOG.debug("{}: waited for another worker that held the key", task.key());
    }
    boolean published = false;
    try {
      Optional<String> existing = dedup.indexed(task.key());
      if (existing.isPresent()) {
        LOG.debug("Skipping {}: {}", task.key(), existing.get());
        metrics.skippedDuplicate();
        return Handled.DONE;
      }
      WorkerSlots.Slot publishing;
      ComputedOutput out;
      try (WorkerSlots.Slot computing =
          slots.compute(new TopicPartition(record.topic(), record.partition()), record.offset(),
              record.timestamp())) {
        out = compute(task);
        long t0 = System.nanoTime();
        publishing = slots.publish();
        LOG.debug("{}: waited {} ms for a publish slot", task.key(),
            (System.nanoTime() - t0) / 1_000_000);
      }
      try (publishing) {
        publish(record, request, task, out);
        published = true;
        return Handled.DONE;
      }
    } catch (Rejected r) {
      return reject(record, r.why, r.reason);
    } catch (RuntimeException e) {
      if (!TransientFailures.isTransient(e)) {
        throw e; // the consumer dead-letters it as a failure of the service
      }
      // The broker did not take the output in time: nothing is wrong with the request.
      LOG.warn("Publishing the teacher output {} failed for a transient reason: {}", task.key(),
          e.getMessage());
      return Handled.RETRY;
    } finally {
      // A published key was let go by finish (and another worker may hold it by now); any other
      // ending frees it to be computed again.
      if (!published) {
        dedup.abandon(task.key());
      }
    }
  }

  private ComputedOutput compute(TeacherTask task) throws Rejected {
    Lease lease;
    try {
      lease = models.lease(task.model());
    } catch (RetortException e) {
      throw new Rejected(Rejection.MODEL, "teacher_ref '" + task.model().ref() + "': "
          + e.getMessage());
    }
    try (lease) {
      return TeacherInference.run(lease.teacher(), task.input(), task.selection(),
          task.model().domain(), task.dropout(), TensorCodec.coreType(task.wireType()),
          task.trimPaddingKeys());
    } catch (BadMessageException e) {
      throw new Rejected(Rejection.INVALID, e.reason());
    } catch (RuntimeException e) {
      LOG.error("Teacher forward failed for {}", task.key(), e);
      throw new Rejected(Rejection.INTERNAL, "the teacher forward pass failed: " + e);
    }
  }

  /**
   * Encodes and publishes an output, and records it in the index view (which lets its key go).
   *
   * @throws Rejected if the output can never be published as it is
   * @throws RuntimeException a transient failure ({@link TransientFailures}): the send was not
   *     acknowledged in time, or failed with a retriable error
   */
  private void publish(ConsumerRecord<String, byte[]> record, TeacherRequest request,
      TeacherTask task, ComputedOutput out) throws Rejected {
    long encodeStart = System.nanoTime();
    TeacherOutput output;
    try {
      output = mapper.toOutput(request, task, out, instance.id());
    } catch (RuntimeException e) {
      LOG.error("Encoding the teacher output {} failed", task.key(), e);
      throw new Rejected(Rejection.INTERNAL, "the teacher service failed to publish: " + e);
    }
    long t0 = System.nanoTime();
    TeacherOutputLocation location;
    try {
      location = publisher.publish(task.key(), output, mapper);
    } catch (RuntimeException e) {
      if (TransientFailures.isTransient(e)) {
        throw e;
      }
      throw new Rejected(Rejection.PUBLISH, e.getMessage());
    }
    dedup.finish(task.key(), location);
    double publishMillis = (System.nanoTime() - t0) / 1e6;
    metrics.computed(task.input().batchSize(), location.getBytes(), out.computeMillis(),
        publishMillis);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: requested {} ms ago; computed in {} ms, encoded in {} ms, published in {} "
          + "ms", task.key(), System.currentTimeMillis() - record.timestamp(),
          Math.round(out.computeMillis()), (t0 - encodeStart) / 1_000_000,
          Math.round(publishMillis));
    }
  }

  /** A request that cannot be served as it is: it is dead-lettered with the reason. */
  private static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final Rejection why;
    private final String reason;

    Rejected(Rejection why, String reason) {
      super(reason, null, false, false);
      this.why = why;
      this.reason = reason;
    }
  }

  /** Dead-letters a record; when the dead letter is not acknowledged it is handled again. */
  private Handled reject(ConsumerRecord<String, byte[]> record, Rejection why, String reason) {
    if (!deadLetters.publish(record, reason)) {
      return Handled.RETRY;
    }
    metrics.rejected(why);
    return Handled.DONE;
  }
}

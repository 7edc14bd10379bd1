package dev.retort.teacher.messaging;

import dev.retort.core.RetortException;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.Decoded;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
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
 * holding a publish slot ({@link WorkerSlots}: the next request computes meanwhile). Nothing
 * escapes: a request that cannot be served is dead-lettered with the reason, so the channel goes
 * on with the next one.
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
   */
  public void handle(ConsumerRecord<String, byte[]> record, WorkerSlots slots) {
    metrics.received();
    Decoded<TeacherRequest> decoded = SERDE.decode(record.value());
    if (!decoded.isOk()) {
      reject(record, Rejection.UNDECODABLE, decoded.reason());
      return;
    }
    TeacherRequest request = decoded.value();
    TeacherTask task;
    try {
      task = mapper.toTask(request);
    } catch (BadMessageException e) {
      reject(record, Rejection.INVALID, e.reason());
      return;
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
        return;
      }
      WorkerSlots.Slot publishing;
      Optional<ComputedOutput> out;
      try (WorkerSlots.Slot computing =
          slots.compute(new TopicPartition(record.topic(), record.partition()), record.offset(),
              record.timestamp())) {
        out = compute(record, task);
        if (out.isEmpty()) {
          return;
        }
        long t0 = System.nanoTime();
        publishing = slots.publish();
        LOG.debug("{}: waited {} ms for a publish slot", task.key(),
            (System.nanoTime() - t0) / 1_000_000);
      }
      try (publishing) {
        published = publish(record, request, task, out.get());
      }
    } finally {
      // A published key was let go by finish (and another worker may hold it by now); any other
      // ending frees it to be computed again.
      if (!published) {
        dedup.abandon(task.key());
      }
    }
  }

  private Optional<ComputedOutput> compute(ConsumerRecord<String, byte[]> record,
      TeacherTask task) {
    Lease lease;
    try {
      lease = models.lease(task.model());
    } catch (RetortException e) {
      reject(record, Rejection.MODEL, "teacher_ref '" + task.model().ref() + "': "
          + e.getMessage());
      return Optional.empty();
    }
    try (lease) {
      return Optional.of(TeacherInference.run(lease.teacher(), task.input(), task.selection(),
          task.model().domain(), task.dropout(), TensorCodec.coreType(task.wireType()),
          task.trimPaddingKeys()));
    } catch (BadMessageException e) {
      reject(record, Rejection.INVALID, e.reason());
    } catch (RuntimeException e) {
      LOG.error("Teacher forward failed for {}", task.key(), e);
      reject(record, Rejection.INTERNAL, "the teacher forward pass failed: " + e);
    }
    return Optional.empty();
  }

  /**
   * Encodes and publishes an output, and records it in the index view (which lets its key go);
   * failures are dead-lettered.
   *
   * @return whether the output was published
   */
  private boolean publish(ConsumerRecord<String, byte[]> record, TeacherRequest request,
      TeacherTask task, ComputedOutput out) {
    boolean published = false;
    try {
      long encodeStart = System.nanoTime();
      TeacherOutput output = mapper.toOutput(request, task, out, instance.id());
      long t0 = System.nanoTime();
      TeacherOutputLocation location;
      try {
        location = publisher.publish(task.key(), output, mapper);
      } catch (RuntimeException e) {
        reject(record, Rejection.PUBLISH, e.getMessage());
        return false;
      }
      dedup.finish(task.key(), location);
      published = true;
      double publishMillis = (System.nanoTime() - t0) / 1e6;
      metrics.computed(task.input().batchSize(), location.getBytes(), out.computeMillis(),
          publishMillis);
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: requested {} ms ago; computed in {} ms, encoded in {} ms, published in {} "
            + "ms", task.key(), System.currentTimeMillis() - record.timestamp(),
            Math.round(out.computeMillis()), (t0 - encodeStart) / 1_000_000,
            Math.round(publishMillis));
      }
    } catch (RuntimeException e) {
      LOG.error("Publishing the teacher output {} failed", task.key(), e);
      reject(record, Rejection.INTERNAL, "the teacher service failed to publish: " + e);
    }
    return published;
  }

  private void reject(ConsumerRecord<String, byte[]> record, Rejection why, String reason) {
    metrics.rejected(why);
    deadLetters.publish(record, reason);
  }
}

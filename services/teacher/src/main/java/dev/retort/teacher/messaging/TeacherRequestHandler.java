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
import dev.retort.teacher.inference.CachedTeacher;
import dev.retort.teacher.inference.ComputedOutput;
import dev.retort.teacher.inference.TeacherInference;
import dev.retort.teacher.inference.TeacherModels;
import dev.retort.teacher.metrics.TeacherMetrics;
import dev.retort.teacher.metrics.TeacherMetrics.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one teacher request: decode, skip if the output exists, load the teacher, run it, then
 * (on the {@link PublishPipeline}'s thread, while the next request is computed) encode and publish
 * the output and its index entry. Nothing escapes: a request that cannot be served is
 * dead-lettered with the reason, so the channel goes on with the next one.
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
   * Serves one request record: computes its output on this thread and hands the publishing over
   * to the pipeline, which publishes it while this thread goes on with the next record.
   *
   * @param record the record, value = TeacherRequest
   * @param pipeline publishes the output; drain it before acknowledging the record
   */
  public void handle(ConsumerRecord<String, byte[]> record, PublishPipeline pipeline) {
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
    if (dedup.inFlight(task.key())) {
      // Only the pipeline holds a key in flight on this replica: once its publish ends, the key is
      // indexed, or free to compute again because the publish failed. Skipping it now would lose
      // this request in the second case.
      pipeline.drain();
    }
    Optional<String> existing = dedup.existing(task.key());
    if (existing.isPresent() || !dedup.begin(task.key())) {
      LOG.debug("Skipping {}: {}", task.key(), existing.orElse("in flight"));
      metrics.skippedDuplicate();
      return;
    }
    // The key stays in flight until its output is published (see above).
    boolean handedOver = false;
    try {
      Optional<ComputedOutput> out = compute(record, task);
      if (out.isPresent()) {
        Duration waited = pipeline.submit(() -> {
          try {
            publish(record, request, task, out.get());
          } finally {
            dedup.abandon(task.key());
          }
        });
        handedOver = true;
        LOG.debug("{}: waited {} ms for the previous output's publish", task.key(),
            waited.toMillis());
      }
    } finally {
      if (!handedOver) {
        dedup.abandon(task.key());
      }
    }
  }

  private Optional<ComputedOutput> compute(ConsumerRecord<String, byte[]> record,
      TeacherTask task) {
    CachedTeacher teacher;
    try {
      teacher = models.get(task.model());
    } catch (RetortException e) {
      reject(record, Rejection.MODEL, "teacher_ref '" + task.model().ref() + "': "
          + e.getMessage());
      return Optional.empty();
    }
    try {
      return Optional.of(TeacherInference.run(teacher, task.input(), task.selection(),
          task.model().domain(), task.dropout(), TensorCodec.coreType(task.wireType())));
    } catch (BadMessageException e) {
      reject(record, Rejection.INVALID, e.reason());
    } catch (RuntimeException e) {
      LOG.error("Teacher forward failed for {}", task.key(), e);
      reject(record, Rejection.INTERNAL, "the teacher forward pass failed: " + e);
    }
    return Optional.empty();
  }

  /** Encodes and publishes an output, on the pipeline's thread; failures are dead-lettered. */
  private void publish(ConsumerRecord<String, byte[]> record, TeacherRequest request,
      TeacherTask task, ComputedOutput out) {
    try {
      long encodeStart = System.nanoTime();
      TeacherOutput output = mapper.toOutput(request, task, out, instance.id());
      long t0 = System.nanoTime();
      TeacherOutputLocation location;
      try {
        location = publisher.publish(task.key(), output, mapper);
      } catch (RuntimeException e) {
        reject(record, Rejection.PUBLISH, e.getMessage());
        return;
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
    } catch (RuntimeException e) {
      LOG.error("Publishing the teacher output {} failed", task.key(), e);
      reject(record, Rejection.INTERNAL, "the teacher service failed to publish: " + e);
    }
  }

  private void reject(ConsumerRecord<String, byte[]> record, Rejection why, String reason) {
    metrics.rejected(why);
    deadLetters.publish(record, reason);
  }
}

package dev.retort.loss.messaging;

import dev.retort.core.RetortException;
import dev.retort.loss.config.Instance;
import dev.retort.loss.emd.EmdSolver;
import dev.retort.loss.hrkd.GraphSessions;
import dev.retort.loss.metrics.LossMetrics;
import dev.retort.loss.metrics.LossMetrics.Rejection;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.Decoded;
import dev.retort.messaging.JobEvents;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.SchemaVersions;
import dev.retort.messaging.ServiceFailures;
import dev.retort.messaging.TrainingRequests;
import dev.retort.messaging.TransientFailures;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.LossRequest;
import dev.retort.service.kafka.Handled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one loss request: decode, answer a duplicate from the job's state, otherwise solve the
 * EMD or evaluate the graph, store the reply and send it.
 *
 * <p>Nothing escapes. An undecodable record is dead-lettered. A request of a known job that cannot
 * be served is dead-lettered too, answered with an error reply (the trainer fails the job with the
 * reason instead of waiting for its timeout) and reported as a failed job event. A failure that
 * passes (a reply the broker did not acknowledge in time, a dead letter it did not take) is not
 * the request's fault: the request is handled again, or left uncommitted ({@link Handled#RETRY}).
 */
@ApplicationScoped
public class LossRequestHandler {
  private static final Logger LOG = LoggerFactory.getLogger(LossRequestHandler.class);
  private static final ProtoSerde<LossRequest> SERDE =
      ProtoSerde.of(LossRequest.getDefaultInstance());

  private final EmdSolver emd;
  private final GraphSessions graphs;
  private final LastReplies replies;
  private final ReplyPublisher publisher;
  private final DeadLetterSink deadLetters;
  private final LossMetrics metrics;
  private final Instance instance;
  private final JobEvents events;

  /**
   * Creates the handler.
   *
   * @param emd serves EMD requests
   * @param graphs serves graph requests
   * @param replies the stored replies
   * @param publisher sends replies and events
   * @param deadLetters sends dead letters
   * @param metrics the meters
   * @param instance this replica
   */
  @Inject
  public LossRequestHandler(EmdSolver emd, GraphSessions graphs, LastReplies replies,
      ReplyPublisher publisher, DeadLetterSink deadLetters, LossMetrics metrics,
      Instance instance) {
    this.emd = emd;
    this.graphs = graphs;
    this.replies = replies;
    this.publisher = publisher;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.instance = instance;
    this.events = new JobEvents(instance.id(), Clock.systemUTC()); // the replica, as the trainer names itself
  }

  /**
   * Serves one request record. Decoding is inside the catch-all, so a record that makes the
   * decoder throw (even an {@link Error}) is dead-lettered with the reason like any other bad one.
   *
   * @param record the record, key = job id, value = LossRequest
   * @return {@link Handled#DONE} once answered or dead-lettered; {@link Handled#RETRY} when a send
   *     failed for a transient reason, or the dead letter was not acknowledged: the record must
   *     not be committed
   */
  public Handled handle(ConsumerRecord<String, byte[]> record) {
    LossRequest request = null;
    try {
      Decoded<LossRequest> decoded = SERDE.decode(record.value());
      if (!decoded.isOk()) {
        return reject(record, null, Rejection.UNDECODABLE, decoded.reason());
      }
      LossRequest candidate = decoded.value();
      try {
        TrainingRequests.checkJobId(candidate.getJobId());
      } catch (BadMessageException e) {
        return reject(record, null, Rejection.INVALID, "job_id: " + e.what());
      }
      request = candidate;
      serve(request);
      return Handled.DONE;
    } catch (RetortException e) {
      return reject(record, request, Rejection.INVALID, e.getMessage());
    } catch (Throwable e) { // Errors too: the channel would acknowledge the record and lose it
      if (TransientFailures.isTransient(e)) {
        // The broker did not take the reply in time: nothing is wrong with the request.
        LOG.warn("Loss request {} failed for a transient reason: {}", where(record, request),
            e.toString());
        return Handled.RETRY;
      }
      LOG.error("Loss request {} failed", where(record, request), e);
      return reject(record, request, Rejection.INTERNAL,
          ServiceFailures.reason("the loss service", e));
    }
  }

  private void serve(LossRequest request) {
    LossRequest.KindCase kind = request.getKindCase();
    if (kind == LossRequest.KindCase.KIND_NOT_SET) {
      throw new BadMessageException("kind", "the request asks for neither emd nor graph");
    }
    if (resumes(request)) {
      replies.forget(request.getJobId(), kind);
    } else {
      Optional<LossReply> earlier = replies.find(request.getJobId(), kind, request.getStep());
      if (earlier.isPresent()) {
        publisher.reply(earlier.get().toBuilder().setRequestId(request.getRequestId()).build());
        metrics.replayed();
        return;
      }
    }
    solve(request, kind);
  }

  private void solve(LossRequest request, LossRequest.KindCase kind) {
    long t0 = System.nanoTime();
    LossReply.Builder reply = base(request);
    String method;
    if (kind == LossRequest.KindCase.EMD) {
      reply.setEmd(emd.solve(request.getJobId(), request.getStep(), request.getEmd()));
      method = LossMetrics.EMD;
    } else {
      reply.setGraph(graphs.evaluate(request.getJobId(), request.getStep(), request.getGraph()));
      method = LossMetrics.HRKD;
    }
    double millis = (System.nanoTime() - t0) / 1e6;
    LossReply built = reply.build();
    replies.record(request.getJobId(), kind, built);
    publisher.reply(built);
    metrics.solved(method, millis);
  }

  private LossReply.Builder base(LossRequest request) {
    return LossReply.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setJobId(request.getJobId())
        .setStep(request.getStep())
        .setRequestId(request.getRequestId())
        .setComputedBy(instance.id());
  }

  private static String where(ConsumerRecord<String, byte[]> record, LossRequest request) {
    String at = record.topic() + "-" + record.partition() + "@" + record.offset();
    return request == null ? at
        : request.getRequestId() + " of job " + request.getJobId() + " (" + at + ")";
  }

  private static boolean resumes(LossRequest request) {
    return request.getKindCase() == LossRequest.KindCase.GRAPH
        && request.getGraph().getOptions().getResumeFromStep() > 0;
  }

  /**
   * Dead-letters a record; for a request of a known job also replies and reports the failure.
   * When the dead letter is not acknowledged nothing else is sent: the record is handled again.
   */
  private Handled reject(ConsumerRecord<String, byte[]> record, LossRequest request,
      Rejection why, String reason) {
    if (!deadLetters.publish(record, reason)) {
      return Handled.RETRY;
    }
    metrics.rejected(why, request != null);
    if (request == null) {
      return Handled.DONE;
    }
    String job = request.getJobId();
    try {
      publisher.reply(base(request).setError(reason).build());
      // The trainer gets the error reply and decides whether the job ends.
      publisher.event(events.partFailed(job, "loss request for step " + request.getStep()
          + " not served: " + reason));
    } catch (RuntimeException e) {
      // The dead letter keeps the request and the reason; the trainer times out instead.
      LOG.error("Could not send the error reply of job {}: {}", job, e.toString());
    }
    return Handled.DONE;
  }
}

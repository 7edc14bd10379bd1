package dev.retort.evaluator.messaging;

import dev.retort.core.RetortException;
import dev.retort.evaluator.config.ArtifactStore;
import dev.retort.evaluator.config.Instance;
import dev.retort.evaluator.evaluation.CheckpointJudge;
import dev.retort.evaluator.evaluation.CheckpointTask;
import dev.retort.evaluator.evaluation.JobData;
import dev.retort.evaluator.evaluation.Verdict;
import dev.retort.evaluator.metrics.EvaluatorMetrics;
import dev.retort.evaluator.metrics.EvaluatorMetrics.Rejection;
import dev.retort.messaging.Decoded;
import dev.retort.messaging.JobEvents;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.ServiceFailures;
import dev.retort.messaging.TrainingRequests;
import dev.retort.messaging.TransientFailures;
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.service.kafka.Handled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one checkpoint announcement: decode and check it, parse its job, evaluate it ({@link
 * CheckpointJudge}), publish the results and events; at the student's final checkpoint also the
 * summary, the finished event, and {@code state.json} status {@code finished}.
 *
 * <p>Nothing escapes: an announcement that cannot be evaluated is dead-lettered with the reason,
 * and for a known job a failed event says why. A failure that passes (a result, event or dead
 * letter the broker did not take in time) is not the announcement's fault: it is handled again,
 * or left uncommitted ({@link Handled#RETRY}), and its saved verdict is published then.
 */
@ApplicationScoped
public class CheckpointHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointHandler.class);
  private static final ProtoSerde<CheckpointReady> SERDE =
      ProtoSerde.of(CheckpointReady.getDefaultInstance());

  private final CheckpointJudge judge;
  private final ArtifactStore store;
  private final ResultPublisher publisher;
  private final DeadLetterSink deadLetters;
  private final EvaluatorMetrics metrics;
  private final JobEvents events;

  /**
   * Creates the handler.
   *
   * @param judge evaluates checkpoints
   * @param store the artifact store
   * @param publisher sends results and events
   * @param deadLetters sends dead letters
   * @param metrics the meters
   * @param instance this replica
   */
  @Inject
  public CheckpointHandler(CheckpointJudge judge, ArtifactStore store, ResultPublisher publisher,
      DeadLetterSink deadLetters, EvaluatorMetrics metrics, Instance instance) {
    this.judge = judge;
    this.store = store;
    this.publisher = publisher;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.events = new JobEvents(instance.id(), Clock.systemUTC()); // the replica, as the trainer names itself
  }

  /**
   * Serves one announcement record. Decoding is inside the catch-all, so a record that makes the
   * decoder throw (even an {@link Error}) is dead-lettered with the reason like any other bad one.
   *
   * @param record the record, key = job id, value = CheckpointReady
   * @return {@link Handled#DONE} once published or dead-lettered; {@link Handled#RETRY} when a
   *     send failed for a transient reason, or the dead letter was not acknowledged: the record
   *     must not be committed
   */
  public Handled handle(ConsumerRecord<String, byte[]> record) {
    CheckpointReady c = null;
    try {
      Decoded<CheckpointReady> decoded = SERDE.decode(record.value());
      if (!decoded.isOk()) {
        return reject(record, null, Rejection.UNDECODABLE, decoded.reason());
      }
      c = decoded.value();
      evaluate(c);
      return Handled.DONE;
    } catch (RetortException e) {
      return reject(record, c, Rejection.INVALID, e.getMessage());
    } catch (Throwable e) { // Errors too: the channel would acknowledge the record and lose it
      if (TransientFailures.isTransient(e)) {
        // The broker did not take a result or event in time: the verdict is saved, and is
        // published when the announcement is handled again.
        LOG.warn("Checkpoint {} failed for a transient reason: {}", where(record, c),
            e.toString());
        return Handled.RETRY;
      }
      LOG.error("Evaluating checkpoint {} failed", where(record, c), e);
      return reject(record, c, Rejection.INTERNAL, ServiceFailures.reason("the evaluator", e));
    }
  }

  private void evaluate(CheckpointReady c) throws IOException {
    EvaluationMapper.check(c);
    Path modelDir = store.resolve(c.getPath(), "path");
    JobData data = judge.job(c.getJobId(), c.getJob());
    CheckpointTask task = new CheckpointTask(c.getJobId(), c.getRole(), c.getPhase(),
        c.getStep(), c.getPath(), modelDir, c.getFinal(), data);
    long t0 = System.nanoTime();
    Optional<Verdict> verdict = judge.judge(task);
    if (verdict.isEmpty()) {
      LOG.info("Checkpoint {} {} step {} of job {} was evaluated and published before",
          c.getRole(), c.getPath(), c.getStep(), c.getJobId());
      metrics.duplicate();
      return;
    }
    publish(c, verdict.get(), (System.nanoTime() - t0) / 1e6);
    judge.published(task);
  }

  private static String where(ConsumerRecord<String, byte[]> record, CheckpointReady c) {
    String at = record.topic() + "-" + record.partition() + "@" + record.offset();
    return c == null ? at : c.getPath() + " of job " + c.getJobId() + " (" + at + ")";
  }

  private void publish(CheckpointReady c, Verdict v, double millis) throws IOException {
    String job = c.getJobId();
    if (!v.repeated()) {
      EvaluationResult dev = EvaluationMapper.dev(c, v);
      publisher.result(dev);
      publisher.event(events.evaluated(job, dev));
      metrics.evaluated(job, c.getRole(), v.scored(), v.bestValue(), millis);
    }
    if (v.reused()) {
      metrics.reusedTeacherScores();
    }
    EvaluationResult test = EvaluationMapper.test(c, v);
    if (test != null) {
      publisher.result(test);
      publisher.event(events.evaluated(job, test));
    }
    if (v.finalScore() != null) {
      metrics.finalScores(job, c.getRole(), v.finalScore().dev(), v.finalScore().test());
    }
    if (v.summary() != null) {
      EvaluationResult summary = EvaluationMapper.summary(job, v);
      publisher.result(summary);
      publisher.event(events.finished(job, summary.hasSummary() ? summary.getSummary() : null,
          v.summary().exportPath()));
      judge.finished(job);
      metrics.latencies(job, v.summary().result());
      metrics.jobFinished();
      LOG.info("Job {} finished: {}", job, summary.getSummary());
    }
  }

  /**
   * Dead-letters a record; for a known job also reports the failure as an event. When the dead
   * letter is not acknowledged nothing else is sent: the record is handled again.
   */
  private Handled reject(ConsumerRecord<String, byte[]> record, CheckpointReady c, Rejection why,
      String reason) {
    if (!deadLetters.publish(record, reason)) {
      return Handled.RETRY;
    }
    metrics.rejected(why);
    if (c == null || !TrainingRequests.JOB_ID.matcher(c.getJobId()).matches()) {
      return Handled.DONE;
    }
    try {
      String what = "checkpoint " + c.getRole() + " step " + c.getStep() + " (" + c.getPath()
          + ") not evaluated: " + reason;
      // Without the student's final checkpoint the job never finishes: that failure ends it.
      boolean ends = c.getRole().equals(CheckpointTask.STUDENT) && c.getFinal();
      publisher.event(ends ? events.failed(c.getJobId(), what, "")
          : events.partFailed(c.getJobId(), what));
    } catch (RuntimeException e) {
      // The dead letter keeps the announcement and the reason.
      LOG.error("Could not send the failed event of job {}: {}", c.getJobId(), e.toString());
    }
    return Handled.DONE;
  }
}

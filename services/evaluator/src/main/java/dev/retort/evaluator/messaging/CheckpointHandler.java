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
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.EvaluationResult;
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
 * and for a known job a failed event says why.
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
   * Serves one announcement record.
   *
   * @param record the record, key = job id, value = CheckpointReady
   */
  public void handle(ConsumerRecord<String, byte[]> record) {
    Decoded<CheckpointReady> decoded = SERDE.decode(record.value());
    if (!decoded.isOk()) {
      reject(record, null, Rejection.UNDECODABLE, decoded.reason());
      return;
    }
    CheckpointReady c = decoded.value();
    try {
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
    } catch (RetortException e) {
      reject(record, c, Rejection.INVALID, e.getMessage());
    } catch (Throwable e) { // Errors too: the channel would acknowledge the record and lose it
      LOG.error("Evaluating {} of job {} failed", c.getPath(), c.getJobId(), e);
      reject(record, c, Rejection.INTERNAL, ServiceFailures.reason("the evaluator", e));
    }
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
      metrics.jobFinished();
      LOG.info("Job {} finished: {}", job, summary.getSummary());
    }
  }

  /** Dead-letters a record; for a known job also reports the failure as an event. */
  private void reject(ConsumerRecord<String, byte[]> record, CheckpointReady c, Rejection why,
      String reason) {
    deadLetters.publish(record, reason);
    metrics.rejected(why);
    if (c == null || !TrainingRequests.JOB_ID.matcher(c.getJobId()).matches()) {
      return;
    }
    try {
      String what = "checkpoint " + c.getRole() + " step " + c.getStep() + " (" + c.getPath()
          + ") not evaluated: " + reason;
      // Without the student's final checkpoint the job never finishes: that failure ends it.
      boolean ends = c.getRole().equals(CheckpointTask.STUDENT) && c.getFinal();
      publisher.event(ends ? events.failed(c.getJobId(), what, "")
          : events.partFailed(c.getJobId(), what));
    } catch (RuntimeException e) {
      LOG.error("Could not send the failed event of job {}: {}", c.getJobId(), e.toString());
    }
  }
}

package dev.retort.messaging;

import com.google.protobuf.Struct;
import dev.retort.core.RetortException;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.SummaryTable;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the {@link JobEvent}s one service instance emits, with time, source and sequence set.
 *
 * <p>The sequence number starts at 1 for each job and grows by one with every event this instance
 * builds for that job, so a reader can order the events of one producer and spot gaps. Thread-safe.
 */
public final class JobEvents {
  private final String source;
  private final Clock clock;
  private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();

  /**
   * Creates a factory.
   *
   * @param source the service instance, e.g. {@code trainer-7f9c}
   * @param clock the clock of the events' time
   */
  public JobEvents(String source, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Returns the event of a job that was accepted.
   *
   * @param jobId the job
   * @param job the normalised job, with defaults filled in
   * @param totalSteps optimiser steps planned
   * @return the event
   */
  public JobEvent accepted(String jobId, Struct job, long totalSteps) {
    return base(jobId).setAccepted(JobEvent.Accepted.newBuilder()
        .setJob(job).setTotalSteps(totalSteps)).build();
  }

  /**
   * Returns the event of a job that was rejected.
   *
   * @param jobId the job
   * @param where the job key or part of the request that is wrong
   * @param reason what is wrong
   * @param fix what the submitter should do
   * @return the event
   */
  public JobEvent rejected(String jobId, String where, String reason, String fix) {
    return base(jobId).setRejected(JobEvent.Rejected.newBuilder()
        .setWhere(nullToEmpty(where)).setReason(nullToEmpty(reason)).setFix(nullToEmpty(fix)))
        .build();
  }

  /**
   * Returns the event of a job rejected because of an error in its input.
   *
   * @param jobId the job
   * @param error the error, with where, what and fix
   * @return the event
   */
  public JobEvent rejected(String jobId, RetortException error) {
    return rejected(jobId, error.where(), error.what(), error.fix());
  }

  /**
   * Returns a progress event.
   *
   * @param jobId the job
   * @param progress phase, step, losses, learning rate and throughput
   * @return the event
   */
  public JobEvent progress(String jobId, JobEvent.Progress progress) {
    return base(jobId).setProgress(progress).build();
  }

  /**
   * Returns the event of a checkpoint written.
   *
   * @param jobId the job
   * @param phase the training phase
   * @param step the optimiser step
   * @param path the artifact-store path of the checkpoint
   * @return the event
   */
  public JobEvent checkpoint(String jobId, String phase, long step, String path) {
    return base(jobId).setCheckpoint(JobEvent.CheckpointWritten.newBuilder()
        .setPhase(phase).setStep(step).setPath(path)).build();
  }

  /**
   * Returns the event of an evaluation.
   *
   * @param jobId the job
   * @param result the evaluator's result
   * @return the event
   */
  public JobEvent evaluated(String jobId, EvaluationResult result) {
    return base(jobId).setEvaluated(JobEvent.Evaluated.newBuilder().setResult(result)).build();
  }

  /**
   * Returns the event of a finished job.
   *
   * @param jobId the job
   * @param summary the teacher/student comparison; null when the evaluator has none
   * @param exportPath the artifact-store path of the exported best student
   * @return the event
   */
  public JobEvent finished(String jobId, SummaryTable summary, String exportPath) {
    JobEvent.Finished.Builder f = JobEvent.Finished.newBuilder().setExportPath(exportPath);
    if (summary != null) {
      f.setSummary(summary);
    }
    return base(jobId).setFinished(f).build();
  }

  /**
   * Returns the event of a failed job.
   *
   * @param jobId the job
   * @param reason why it failed
   * @param lastCheckpoint the last good checkpoint's path; empty when there is none
   * @return the event
   */
  public JobEvent failed(String jobId, String reason, String lastCheckpoint) {
    return base(jobId).setFailed(JobEvent.Failed.newBuilder()
        .setReason(reason).setLastCheckpoint(nullToEmpty(lastCheckpoint))).build();
  }

  /**
   * Returns the event of a part of a job that failed while the job goes on ({@code
   * job_continues}): watchers show it, and keep waiting for the job's end.
   *
   * @param jobId the job
   * @param reason what failed and why
   * @return the event
   */
  public JobEvent partFailed(String jobId, String reason) {
    return base(jobId).setFailed(JobEvent.Failed.newBuilder()
        .setReason(reason).setJobContinues(true)).build();
  }

  /**
   * Returns the event of a cancelled job.
   *
   * @param jobId the job
   * @param step the step it stopped at
   * @param lastCheckpoint the last checkpoint's path; empty when there is none
   * @return the event
   */
  public JobEvent cancelled(String jobId, long step, String lastCheckpoint) {
    return base(jobId).setCancelled(JobEvent.Cancelled.newBuilder()
        .setStep(step).setLastCheckpoint(nullToEmpty(lastCheckpoint))).build();
  }

  private JobEvent.Builder base(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    long sequence = sequences.computeIfAbsent(jobId, id -> new AtomicLong()).incrementAndGet();
    return JobEvent.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setJobId(jobId)
        .setTime(ProtoTimes.now(clock))
        .setSource(source)
        .setSequence(sequence);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

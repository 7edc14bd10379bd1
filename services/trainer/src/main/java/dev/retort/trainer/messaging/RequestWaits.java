package dev.retort.trainer.messaging;

import dev.retort.messaging.Decoded;
import dev.retort.messaging.TrainingRequests;
import dev.retort.proto.v1.TrainingRequest;
import dev.retort.trainer.job.EventPublisher;
import dev.retort.trainer.metrics.TrainerMetrics;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the requests that the request loop puts back to try again, once per request and
 * distinct reason rather than on every try: a request that could not be started (the artifact
 * store cannot be written, the broker does not answer) and one whose job's lock another process
 * holds.
 *
 * <p>A start failure is told to the job's watchers as a failed event marked {@code
 * job_continues}: {@code retort submit} shows it as a warning and goes on waiting, {@code retort
 * status} lists it, and the job still runs once the trainer can start it. Every try counts in
 * {@code retort_trainer_requests_retried_total{reason}}. Used on the loop's thread only.
 */
final class RequestWaits {
  private static final Logger LOG = LoggerFactory.getLogger(RequestWaits.class);

  private final EventPublisher events;
  private final TrainerMetrics metrics;
  private final Path artifacts;
  private final Duration retry;
  private final WaitReasons reasons = new WaitReasons();

  /**
   * Creates the reporter.
   *
   * @param events publishes job events
   * @param metrics the trainer's metrics
   * @param artifacts the artifact store, as the events name it
   * @param retry how long a request waits before it is tried again
   */
  RequestWaits(EventPublisher events, TrainerMetrics metrics, Path artifacts, Duration retry) {
    this.events = events;
    this.metrics = metrics;
    this.artifacts = artifacts;
    this.retry = retry;
  }

  /** Reports a request whose job's lock another process holds. */
  void locked(ConsumerRecord<String, byte[]> r, String jobId) {
    metrics.requestRetried(TrainerMetrics.RETRY_JOB_LOCKED);
    if (reasons.changed(key(r), "locked")) {
      LOG.info("job {} is locked by another process (a replica running it, or one that died whose lock"
          + " is not released yet): the request at {} stays uncommitted and is tried again every {} s",
          jobId, key(r), seconds(retry));
    }
  }

  /** Reports a request that could not be started, and tells its job's watchers why it waits. */
  void startFailed(ConsumerRecord<String, byte[]> r, RuntimeException e) {
    metrics.requestRetried(TrainerMetrics.RETRY_START_FAILED);
    if (!reasons.changed(key(r), e.toString())) {
      LOG.warn("still cannot handle the request at {} ({}); trying it again in {} s", key(r), e, seconds(retry));
      return;
    }
    LOG.error("could not handle the request at {}; trying it again every {} s. Check that the artifact store"
        + " ({}) is writable and the broker reachable", key(r), seconds(retry), artifacts, e);
    String jobId = jobId(r);
    if (jobId == null) {
      return; // no job to tell: the request does not decode, and is rejected once it can be
    }
    String reason = "the trainer cannot start the job yet: " + e + ". It keeps the request and tries again"
        + " every " + seconds(retry) + " s; check that the artifact store (" + artifacts + ") is writable and"
        + " the broker reachable, or read the trainer's log";
    try {
      events.publish(events.events().partFailed(jobId, reason));
    } catch (RuntimeException pe) {
      LOG.warn("could not publish why job {} waits ({}); trying on its next failure", jobId, pe.toString());
      reasons.clear(key(r));
    }
  }

  /** Forgets a request that was handled (started, rejected or a repeat): it waits no more. */
  void handled(ConsumerRecord<String, byte[]> r) {
    reasons.clear(key(r));
  }

  /** The request's job id, or null when the request does not decode or its id is not valid. */
  private static String jobId(ConsumerRecord<String, byte[]> r) {
    Decoded<TrainingRequest> d = TrainingRequests.decode(r.value());
    if (!d.isOk() || !TrainingRequests.JOB_ID.matcher(d.value().getJobId()).matches()) {
      return null;
    }
    return d.value().getJobId();
  }

  private static String key(ConsumerRecord<String, byte[]> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  /** A wait in seconds as logs and events show it: 10, 0.3. */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }
}

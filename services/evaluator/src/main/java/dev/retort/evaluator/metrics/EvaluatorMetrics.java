package dev.retort.evaluator.metrics;

import dev.retort.core.run.JobResult;
import dev.retort.core.run.ModelScore;
import dev.retort.evaluator.config.EvaluatorConfig;
import dev.retort.evaluator.evaluation.Scored;
import dev.retort.messaging.service.JobGauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluator's meters (Prometheus names in brackets).
 *
 * <ul>
 *   <li>{@code retort.evaluator.evaluations{role}} [{@code retort_evaluator_evaluations_total}]
 *       and the timer {@code retort.evaluator.evaluation{role}} [{@code
 *       retort_evaluator_evaluation_seconds_*}]: checkpoints evaluated.
 *   <li>{@code retort.evaluator.duplicates}: announcements of checkpoints evaluated before.
 *   <li>{@code retort.evaluator.jobs.finished}: jobs whose summary was published.
 *   <li>{@code retort.evaluator.rejected{reason}}, {@code retort.evaluator.deadletters}.
 *   <li>{@code retort.evaluator.retries}: announcements handled again after a transient failure
 *       (a send or dead letter the broker did not take); {@code retort.evaluator.uncommitted}:
 *       announcements left uncommitted after their retries, to be delivered again.
 *   <li>Per job, last checkpoint: {@code retort.evaluator.metric{job, role, split, metric}}, {@code
 *       retort.evaluator.best{job, role}} (best dev selection value), {@code
 *       retort.evaluator.parameters{job, role}}, {@code retort.evaluator.latency{job, role}}
 *       (milliseconds: a final teacher's when it is scored, then both roles' at the job's end,
 *       measured together; none for the student before).
 * </ul>
 */
@Startup
@ApplicationScoped
public class EvaluatorMetrics {
  private final MeterRegistry registry;
  private final JobGauges gauges;
  private final Counter duplicates;
  private final Counter finished;
  private final Counter deadLetters;
  private final Counter reusedTeacherScores;
  private final Counter retries;
  private final Counter uncommitted;
  private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);

  /** Why an announcement was not evaluated: the {@code reason} tag of the rejected counter. */
  public enum Rejection {
    /** The value is not a current CheckpointReady. */
    UNDECODABLE,
    /** The announcement, its job or its model directory is invalid. */
    INVALID,
    /** A bug or an I/O failure. */
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
   * @param config the service settings
   */
  @Inject
  public EvaluatorMetrics(MeterRegistry registry, EvaluatorConfig config) {
    this(registry, config.evaluation().gaugedJobs());
  }

  /**
   * Registers the meters.
   *
   * @param registry the registry
   * @param gaugedJobs jobs whose gauges are kept
   */
  public EvaluatorMetrics(MeterRegistry registry, int gaugedJobs) {
    this.registry = registry;
    this.gauges = new JobGauges(registry, gaugedJobs);
    duplicates = Counter.builder("retort.evaluator.duplicates")
        .description("Announcements of checkpoints evaluated before").register(registry);
    finished = Counter.builder("retort.evaluator.jobs.finished")
        .description("Jobs whose final summary was published").register(registry);
    deadLetters = Counter.builder("retort.evaluator.deadletters")
        .description("Dead letters published").register(registry);
    retries = Counter.builder("retort.evaluator.retries")
        .description("Announcements handled again after a transient failure").register(registry);
    uncommitted = Counter.builder("retort.evaluator.uncommitted")
        .description("Announcements left uncommitted after their retries, to be delivered again")
        .register(registry);
    reusedTeacherScores = Counter.builder("retort.evaluator.teacher.scores.reused")
        .description("Final teacher checkpoints not scored again: an identical teacher on identical"
            + " data was scored before")
        .register(registry);
    for (Rejection r : Rejection.values()) {
      rejected.put(r, Counter.builder("retort.evaluator.rejected").tag("reason", r.tag())
          .description("Checkpoint announcements not evaluated, by reason").register(registry));
    }
    for (String role : new String[] {"teacher", "student"}) {
      evaluations(role);
      timer(role);
    }
  }

  /**
   * Records an evaluated checkpoint.
   *
   * @param job the job
   * @param role the role
   * @param s its scores
   * @param bestValue the role's best dev value so far
   * @param millis how long the evaluation took
   */
  public void evaluated(String job, String role, Scored s, double bestValue, double millis) {
    evaluations(role).increment();
    timer(role).record(Duration.ofNanos((long) (millis * 1e6)));
    split(job, role, "dev", s.dev());
    split(job, role, "test", s.test());
    gauges.set(job, "retort.evaluator.best", Tags.of("role", role), bestValue);
    gauges.set(job, "retort.evaluator.parameters", Tags.of("role", role), s.parameters());
    if (Double.isFinite(s.latencyMs())) { // measured for a final teacher only, see latencies
      gauges.set(job, "retort.evaluator.latency", Tags.of("role", role), s.latencyMs());
    }
  }

  /**
   * Records the latencies of a finished job's result, the teacher's and the student's measured
   * together at its end: the dashboards' speed-up is their ratio.
   *
   * @param job the job
   * @param result the job's result
   */
  public void latencies(String job, JobResult result) {
    for (ModelScore s : Arrays.asList(result.teacher(), result.student())) {
      if (s != null && Double.isFinite(s.latencyMs())) {
        gauges.set(job, "retort.evaluator.latency", Tags.of("role", s.role()), s.latencyMs());
      }
    }
  }

  /**
   * Records the final scores of a role (dev and test of its best model).
   *
   * @param job the job
   * @param role the role
   * @param dev dev metrics
   * @param test test metrics
   */
  public void finalScores(String job, String role, Map<String, Double> dev,
      Map<String, Double> test) {
    split(job, role, "final-dev", dev);
    split(job, role, "final-test", test);
  }

  /** Counts a final teacher whose scores came from the cache. */
  public void reusedTeacherScores() {
    reusedTeacherScores.increment();
  }

  /** Counts a redelivered announcement. */
  public void duplicate() {
    duplicates.increment();
  }

  /** Counts a finished job. */
  public void jobFinished() {
    finished.increment();
  }

  /**
   * Counts an announcement that was not evaluated.
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

  /** Counts an announcement handled again after a transient failure. */
  public void retried() {
    retries.increment();
  }

  /** Counts an announcement left uncommitted after its retries. */
  public void leftUncommitted() {
    uncommitted.increment();
  }

  private void split(String job, String role, String split, Map<String, Double> metrics) {
    metrics.forEach((name, value) -> gauges.set(job, "retort.evaluator.metric",
        Tags.of("role", role, "split", split, "metric", name), value));
  }

  private Counter evaluations(String role) {
    return Counter.builder("retort.evaluator.evaluations").tag("role", role)
        .description("Checkpoints evaluated, by role").register(registry);
  }

  private Timer timer(String role) {
    return Timer.builder("retort.evaluator.evaluation").tag("role", role)
        .description("Evaluating one checkpoint").register(registry);
  }
}

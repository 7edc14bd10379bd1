package dev.retort.trainer.metrics;

import dev.retort.core.train.TrainingListener.StepReport;
import dev.retort.messaging.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trainer's metrics, tagged by job, method, phase, loss term and step part only (never an
 * example id). Names as Prometheus renders them: {@code retort_trainer_steps_total}, {@code
 * retort_trainer_loss}, {@code retort_trainer_step_seconds}, ...
 *
 * <p>Training reports every {@code log-every} steps; the step and example counters still count
 * every step (the difference to the job's previous report), so their rates are steps and examples
 * per second. Gauges and the step-part timer hold the reported step's values.
 */
@ApplicationScoped
public class TrainerMetrics {
  /** The reason of a request tried again because it could not be started (the store, the broker). */
  public static final String RETRY_START_FAILED = "start-failed";
  /** The reason of a request tried again because another process holds its job's lock. */
  public static final String RETRY_JOB_LOCKED = "job-locked";

  private final MeterRegistry registry;
  private final Map<String, Double> gauges = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final Map<String, long[]> lastReported = new ConcurrentHashMap<>();

  /**
   * Creates the metrics.
   *
   * @param registry Micrometer's registry
   */
  @Inject
  public TrainerMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("retort.trainer.jobs.running", running);
    // Registered up front, so that dashboards show 0 rather than no data before the first one.
    rejectedCounter();
    deadLetterCounter(Topics.JOB_REQUESTS);
    retriedCounter(RETRY_START_FAILED);
    retriedCounter(RETRY_JOB_LOCKED);
  }

  /**
   * Records one reported step (every log-every steps).
   *
   * @param job the job id
   * @param method the distillation method
   * @param phase the training phase
   * @param step optimiser steps of the phase so far, this one included
   * @param examplesSeen training examples of the phase so far
   * @param r the step's report
   */
  public void step(String job, String method, String phase, long step, long examplesSeen, StepReport r) {
    Tags tags = Tags.of("job", job, "method", method, "phase", phase);
    long[] last = lastReported.put(job + "/" + phase, new long[] {step, examplesSeen});
    // The first report of a job in this process counts its own step only (a resumed job's earlier
    // steps were counted by the replica that ran them).
    long steps = last == null ? 1 : Math.max(0, step - last[0]);
    long examples = last == null ? r.examples() : Math.max(0, examplesSeen - last[1]);
    registry.counter("retort.trainer.steps", tags).increment(steps);
    registry.counter("retort.trainer.examples", Tags.of("job", job, "method", method)).increment(examples);
    r.losses().forEach((term, v) -> gauge("retort.trainer.loss", Tags.of("job", job, "method", method, "term", term), v));
    gauge("retort.trainer.learning.rate", Tags.of("job", job), r.learningRate());
    if (Double.isFinite(r.gradNorm())) {
      gauge("retort.trainer.grad.norm", Tags.of("job", job), r.gradNorm());
    }
    gauge("retort.trainer.examples.per.second", Tags.of("job", job, "method", method), r.examples() / Math.max(1e-9, r.seconds()));
    r.parts().forEach((part, seconds) ->
        Timer.builder("retort.trainer.step.seconds").tags(Tags.of("job", job, "part", part))
            .description("Wall time of one part of a training step").register(registry)
            .record(Duration.ofNanos((long) (seconds * 1e9))));
  }

  /** Records a checkpoint write. */
  public void checkpoint(String job, double seconds) {
    Timer.builder("retort.trainer.checkpoint.seconds").tag("job", job).register(registry)
        .record(Duration.ofNanos((long) (seconds * 1e9)));
  }

  /** Counts a job reaching a status. */
  public void job(String status) {
    registry.counter("retort.trainer.jobs", "status", status).increment();
  }

  /** Marks a job as started or ended. */
  public void running(int delta) {
    running.addAndGet(delta);
  }

  /** Forgets a finished job's step bookkeeping (its meters stay). */
  public void ended(String job) {
    lastReported.keySet().removeIf(k -> k.startsWith(job + "/"));
  }

  /** Counts a dead-lettered record. */
  public void deadLetter(String topic) {
    deadLetterCounter(topic).increment();
  }

  /** Counts a rejected request. */
  public void rejected() {
    rejectedCounter().increment();
  }

  /**
   * Counts a training request put back to be tried again.
   *
   * @param reason {@link #RETRY_START_FAILED} or {@link #RETRY_JOB_LOCKED}
   */
  public void requestRetried(String reason) {
    retriedCounter(reason).increment();
  }

  private Counter retriedCounter(String reason) {
    return Counter.builder("retort.trainer.requests.retried").tag("reason", reason)
        .description("Training requests put back to be tried again: not started (start-failed) or their"
            + " job locked by another process (job-locked)").register(registry);
  }

  private Counter deadLetterCounter(String topic) {
    return Counter.builder("retort.trainer.deadletters").tag("topic", topic)
        .description("Records set aside on the dead-letter topic, by source topic").register(registry);
  }

  private Counter rejectedCounter() {
    return Counter.builder("retort.trainer.rejected")
        .description("Training requests rejected (undecodable, invalid or over a limit)").register(registry);
  }

  /** Counts teacher outputs by where they came from ({@code replayed} or {@code computed}). */
  public void teacherOutputs(String source, long n) {
    Counter.builder("retort.trainer.teacher.outputs").tag("source", source).register(registry).increment(n);
  }

  private void gauge(String name, Tags tags, double value) {
    String key = name + tags;
    boolean fresh = !gauges.containsKey(key);
    gauges.put(key, value);
    if (fresh) {
      registry.gauge(name, tags, gauges, m -> m.getOrDefault(key, Double.NaN));
    }
  }
}

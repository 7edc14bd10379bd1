package dev.retort.loss.metrics;

import dev.retort.core.distill.emd.EmdLayerWeights;
import dev.retort.core.distill.emd.EmdSolution;
import dev.retort.core.distill.emd.TransportPlan;
import dev.retort.core.tensor.HostTensor;
import dev.retort.loss.config.LossConfig;
import dev.retort.messaging.service.JobGauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The loss service's meters (Prometheus names in brackets).
 *
 * <ul>
 *   <li>{@code retort.loss.solves{method=bert-emd|hrkd}} [{@code retort_loss_solves_total}]:
 *       requests computed; its rate is solves per second.
 *   <li>{@code retort.loss.solve{method}} (timer) [{@code retort_loss_solve_seconds_*}].
 *   <li>{@code retort.loss.replies{source=computed|replayed|error}}: replies sent; {@code
 *       replayed} answers a duplicate from the job's state.
 *   <li>{@code retort.loss.rejected{reason}}, {@code retort.loss.deadletters}.
 *   <li>{@code retort.loss.retries}: requests served again after a transient failure (a send or
 *       dead letter the broker did not take); {@code retort.loss.uncommitted}: requests left
 *       uncommitted after their retries, to be delivered again.
 *   <li>{@code retort.loss.jobs.active} (gauge): jobs with gauges in memory.
 *   <li>Per job, last step: {@code retort.loss.emd.layer.weight{job, side=student|teacher,
 *       kind=att|hid, layer}} (1-based layers), {@code retort.loss.emd.flow{job, kind,
 *       student_layer, teacher_layer}}, {@code retort.loss.emd.cost{job, kind}}, {@code
 *       retort.loss.hrkd.ratio{job, layer, domain}} (layer 0 = embeddings, domain index).
 * </ul>
 */
@Startup
@ApplicationScoped
public class LossMetrics {
  /** The {@code method} tag of EMD requests. */
  public static final String EMD = "bert-emd";
  /** The {@code method} tag of graph requests. */
  public static final String HRKD = "hrkd";

  private final MeterRegistry registry;
  private final JobGauges gauges;
  private final Counter computed;
  private final Counter replayed;
  private final Counter errors;
  private final Counter deadLetters;
  private final Counter retries;
  private final Counter uncommitted;
  private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);

  /** Why a request was not served: the {@code reason} tag of {@code retort.loss.rejected}. */
  public enum Rejection {
    /** The value is not a current LossRequest. */
    UNDECODABLE,
    /** The request is malformed, or needs state the service does not have. */
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
  public LossMetrics(MeterRegistry registry, LossConfig config) {
    this(registry, config.state().activeJobs());
  }

  /**
   * Registers the meters.
   *
   * @param registry the registry
   * @param activeJobs jobs whose gauges are kept
   */
  public LossMetrics(MeterRegistry registry, int activeJobs) {
    this.registry = registry;
    this.gauges = new JobGauges(registry, activeJobs);
    computed = replies(registry, "computed");
    replayed = replies(registry, "replayed");
    errors = replies(registry, "error");
    deadLetters = Counter.builder("retort.loss.deadletters")
        .description("Dead letters published").register(registry);
    retries = Counter.builder("retort.loss.retries")
        .description("Loss requests served again after a transient failure").register(registry);
    uncommitted = Counter.builder("retort.loss.uncommitted")
        .description("Loss requests left uncommitted after their retries, to be delivered again")
        .register(registry);
    for (Rejection r : Rejection.values()) {
      rejected.put(r, Counter.builder("retort.loss.rejected").tag("reason", r.tag())
          .description("Loss requests not served, by reason").register(registry));
    }
    for (String method : new String[] {EMD, HRKD}) {
      solves(method);
      solveTimer(method);
    }
    Gauge.builder("retort.loss.jobs.active", gauges, JobGauges::jobs)
        .description("Jobs whose loss state is in memory").register(registry);
  }

  /**
   * Counts a computed reply.
   *
   * @param method {@link #EMD} or {@link #HRKD}
   * @param millis how long the computation took
   */
  public void solved(String method, double millis) {
    solves(method).increment();
    solveTimer(method).record(Duration.ofNanos((long) (millis * 1e6)));
    computed.increment();
  }

  /** Counts a duplicate answered from the job's state. */
  public void replayed() {
    replayed.increment();
  }

  /**
   * Counts a request that was not served.
   *
   * @param reason why
   * @param replied whether an error reply was sent
   */
  public void rejected(Rejection reason, boolean replied) {
    rejected.get(reason).increment();
    if (replied) {
      errors.increment();
    }
  }

  /** Counts a published dead letter. */
  public void deadLetter() {
    deadLetters.increment();
  }

  /** Counts a request served again after a transient failure. */
  public void retried() {
    retries.increment();
  }

  /** Counts a request left uncommitted after its retries. */
  public void leftUncommitted() {
    uncommitted.increment();
  }

  /**
   * Publishes a step's EMD solution as the job's gauges.
   *
   * @param job the job
   * @param s the solution
   */
  public void emd(String job, EmdSolution s) {
    EmdLayerWeights w = s.next();
    weights(job, "student", "att", w.studentAtt());
    weights(job, "student", "hid", w.studentHid());
    weights(job, "teacher", "att", w.teacherAtt());
    weights(job, "teacher", "hid", w.teacherHid());
    if (s.attention() != null) {
      flow(job, "att", s.attention());
    }
    flow(job, "hid", s.hidden());
  }

  /**
   * Publishes a step's HRKD ratios as the job's gauges.
   *
   * @param job the job
   * @param ratios r // [M+1, D]
   */
  public void hrkd(String job, HostTensor ratios) {
    float[] r = ratios.toFloats();
    int domains = (int) ratios.dim(1);
    for (int i = 0; i < r.length; i++) {
      gauges.set(job, "retort.loss.hrkd.ratio", Tags.of("layer", Integer.toString(i / domains),
          "domain", Integer.toString(i % domains)), r[i]);
    }
  }

  private void weights(String job, String side, String kind, double[] w) {
    for (int i = 0; i < w.length; i++) {
      gauges.set(job, "retort.loss.emd.layer.weight", Tags.of("side", side, "kind", kind,
          "layer", Integer.toString(i + 1)), w[i]);
    }
  }

  private void flow(String job, String kind, TransportPlan plan) {
    double[][] f = plan.flow();
    for (int i = 0; i < f.length; i++) {
      for (int j = 0; j < f[i].length; j++) {
        gauges.set(job, "retort.loss.emd.flow", Tags.of("kind", kind,
            "student_layer", Integer.toString(i + 1), "teacher_layer", Integer.toString(j + 1)),
            f[i][j]);
      }
    }
    gauges.set(job, "retort.loss.emd.cost", Tags.of("kind", kind), plan.cost());
  }

  private Counter solves(String method) {
    return Counter.builder("retort.loss.solves").tag("method", method)
        .description("Loss requests computed, by method").register(registry);
  }

  private Timer solveTimer(String method) {
    return Timer.builder("retort.loss.solve").tag("method", method)
        .description("Computing one loss request").register(registry);
  }

  private static Counter replies(MeterRegistry registry, String source) {
    return Counter.builder("retort.loss.replies").tag("source", source)
        .description("Loss replies sent, by source").register(registry);
  }
}

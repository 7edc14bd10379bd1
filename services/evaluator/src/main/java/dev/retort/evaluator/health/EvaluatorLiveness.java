package dev.retort.evaluator.health;

import dev.retort.evaluator.config.EvaluatorConfig;
import dev.retort.service.health.HandlerWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down only for a wedged loop: one checkpoint evaluated without progress (a scored batch, a
 * finished stage) for longer than {@code retort.evaluator.health.wedged-after}, or an announcement
 * left uncommitted after transient failures that has waited that long to be delivered again (a
 * restart delivers it). A long evaluation that reports progress, or a bad request, never fails
 * liveness; a broker down for longer than that does, through the announcement it left uncommitted.
 */
@Liveness
@ApplicationScoped
public class EvaluatorLiveness implements HealthCheck {
  private final HandlerWatch watch;
  private final Duration wedgedAfter;

  /**
   * Creates the check.
   *
   * @param watch the handler watch
   * @param config the service settings
   */
  @Inject
  public EvaluatorLiveness(HandlerWatch watch, EvaluatorConfig config) {
    this.watch = watch;
    this.wedgedAfter = config.health().wedgedAfter();
  }

  /** {@inheritDoc} */
  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("evaluator-loop").up();
    watch.report(b, wedgedAfter, "checkpoint");
    return b.build();
  }
}

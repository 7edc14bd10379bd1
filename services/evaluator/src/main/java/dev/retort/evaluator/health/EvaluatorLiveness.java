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
 * Down only for a wedged loop: one checkpoint evaluated for longer than {@code
 * retort.evaluator.health.wedged-after}. A down broker or a bad request never fails liveness.
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
    long busy = watch.busyNanos();
    if (busy > wedgedAfter.toNanos()) {
      b.down().withData("handler", "busy with one checkpoint for " + busy / 1_000_000_000L + " s");
    }
    return b.build();
  }
}

package dev.retort.loss.health;

import dev.retort.loss.config.LossConfig;
import dev.retort.service.health.HandlerWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down only for a wedged loop: one request processed for longer than {@code
 * retort.loss.health.wedged-after}. A down broker or a bad request never fails liveness.
 */
@Liveness
@ApplicationScoped
public class LossLiveness implements HealthCheck {
  private final HandlerWatch watch;
  private final Duration wedgedAfter;

  /**
   * Creates the check.
   *
   * @param watch the handler watch
   * @param config the service settings
   */
  @Inject
  public LossLiveness(HandlerWatch watch, LossConfig config) {
    this.watch = watch;
    this.wedgedAfter = config.health().wedgedAfter();
  }

  /** {@inheritDoc} */
  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("loss-loop").up();
    long busy = watch.busyNanos();
    if (busy > wedgedAfter.toNanos()) {
      b.down().withData("handler", "busy with one request for " + busy / 1_000_000_000L + " s");
    }
    return b.build();
  }
}

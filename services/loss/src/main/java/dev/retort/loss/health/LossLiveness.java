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
 * retort.loss.health.wedged-after}, or a request left uncommitted after transient failures that
 * has waited that long to be delivered again (a restart delivers it). A bad request never fails
 * liveness; a broker down for longer than that does, through the request it left uncommitted.
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
    watch.report(b, wedgedAfter, "request");
    return b.build();
  }
}

package dev.retort.teacher.health;

import dev.retort.service.health.HandlerWatch;
import dev.retort.teacher.config.TeacherConfig;
import dev.retort.teacher.messaging.Deduplicator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down only for a wedged worker: a request handled for longer than {@code
 * retort.teacher.health.wedged-after}, an index view that died, or a request left uncommitted
 * after transient failures that has waited that long to be delivered again (a restart delivers
 * it). A bad request never fails liveness; a broker down for a moment does not either.
 */
@Liveness
@ApplicationScoped
public class TeacherLiveness implements HealthCheck {
  private final HandlerWatch watch;
  private final Deduplicator dedup;
  private final Duration wedgedAfter;

  /**
   * Creates the check.
   *
   * @param watch the handler watch
   * @param dedup holds the index view
   * @param config the service settings
   */
  @Inject
  public TeacherLiveness(HandlerWatch watch, Deduplicator dedup, TeacherConfig config) {
    this.watch = watch;
    this.dedup = dedup;
    this.wedgedAfter = config.health().wedgedAfter();
  }

  /** {@inheritDoc} */
  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("teacher-loop").up();
    watch.report(b, wedgedAfter, "request");
    if (dedup.viewError() != null) {
      b.down().withData("index", dedup.viewError());
    }
    return b.build();
  }
}

package dev.retort.trainer.health;

import dev.retort.trainer.TrainerService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live unless the request loop is wedged: it polls every fraction of a second even while a job
 * runs, so a minute without a poll means it is stuck (a long training step does not count).
 */
@Liveness
@ApplicationScoped
public class TrainerLiveness implements HealthCheck {
  private final TrainerService service;

  /**
   * Creates the check.
   *
   * @param service the trainer
   */
  @Inject
  public TrainerLiveness(TrainerService service) {
    this.service = service;
  }

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("retort-trainer-loop");
    if (service.runner() != null && service.runner().millisSinceLastPoll() > 60_000) {
      return r.down().withData("error", "the request loop has not polled for " + service.runner().millisSinceLastPoll() / 1000 + " s").build();
    }
    return r.up().build();
  }
}

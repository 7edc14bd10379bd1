package dev.retort.trainer.health;

import dev.retort.trainer.TrainerService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the broker answers and the request loop, index view and listeners run. */
@Readiness
@ApplicationScoped
public class TrainerReadiness implements HealthCheck {
  private final TrainerService service;
  private final BrokerProbe broker;

  /**
   * Creates the check.
   *
   * @param service the trainer
   * @param broker the broker probe
   */
  @Inject
  public TrainerReadiness(TrainerService service, BrokerProbe broker) {
    this.service = service;
    this.broker = broker;
  }

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("retort-trainer");
    String problem = broker.problem();
    if (problem != null) {
      return r.down().withData("error", problem).build();
    }
    if (service.runner() == null || !service.runner().alive()) {
      return r.down().withData("error", "the job request loop is not running").build();
    }
    if (!service.index().ready()) {
      return r.down().withData("error", "still reading the teacher index").build();
    }
    String job = service.runner().runningJob();
    return r.up().withData("running-job", job == null ? "none" : job).build();
  }
}

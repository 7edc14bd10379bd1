package dev.retort.loss.health;

import dev.retort.loss.config.ArtifactStore;
import dev.retort.service.engine.EngineWarmup;
import dev.retort.loss.messaging.TopicSetup;
import dev.retort.messaging.service.ReadinessChecks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when job state can be kept (the artifact store's {@code jobs/} directory is writable),
 * graphs can be computed (the engine is loaded), the topics exist and the broker answers.
 */
@Readiness
@ApplicationScoped
public class LossReadiness implements HealthCheck {
  private final ReadinessChecks checks;

  /**
   * Creates the check.
   *
   * @param store the artifact store
   * @param engine the engine warm-up
   * @param topics topic creation
   * @param broker the broker probe
   */
  @Inject
  public LossReadiness(ArtifactStore store, EngineWarmup engine, TopicSetup topics,
      BrokerProbe broker) {
    this.checks = ReadinessChecks.builder()
        .addBroker(broker::problem)
        .addEngine(engine::loaded, engine::error)
        .addTopics(topics::done)
        .addJobsDirectory(store::root)
        .build();
  }

  /** {@inheritDoc} */
  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("loss").up();
    checks.problems().forEach((check, problem) -> b.down().withData(check, problem));
    return b.build();
  }
}

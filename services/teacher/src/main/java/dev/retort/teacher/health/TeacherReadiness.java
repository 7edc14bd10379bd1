package dev.retort.teacher.health;

import dev.retort.messaging.service.ReadinessChecks;
import dev.retort.service.engine.EngineWarmup;
import dev.retort.teacher.messaging.Deduplicator;
import dev.retort.teacher.messaging.TopicSetup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the engine is loaded (teachers are then loadable), the index view has read the
 * existing entries, the topics exist and the broker answers.
 */
@Readiness
@ApplicationScoped
public class TeacherReadiness implements HealthCheck {
  private final ReadinessChecks checks;

  /**
   * Creates the check.
   *
   * @param engine the engine warm-up
   * @param dedup holds the index view
   * @param topics topic creation
   * @param broker the broker probe
   */
  @Inject
  public TeacherReadiness(EngineWarmup engine, Deduplicator dedup, TopicSetup topics,
      BrokerProbe broker) {
    this.checks = ReadinessChecks.builder()
        .addBroker(broker::problem)
        .addEngine(engine::loaded, engine::error)
        .add("index", () -> dedup.caughtUp() ? null
            : dedup.viewError() == null ? "reading the teacher index" : dedup.viewError())
        .addTopics(topics::done)
        .build();
  }

  /** {@inheritDoc} */
  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("teacher").up();
    checks.problems().forEach((check, problem) -> b.down().withData(check, problem));
    return b.build();
  }
}

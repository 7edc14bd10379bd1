package dev.retort.teacher.health;

import dev.retort.teacher.inference.EngineWarmup;
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
  private final EngineWarmup engine;
  private final Deduplicator dedup;
  private final TopicSetup topics;
  private final BrokerProbe broker;

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
    this.engine = engine;
    this.dedup = dedup;
    this.topics = topics;
    this.broker = broker;
  }

  /** {@inheritDoc} */
  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("teacher").up();
    String brokerProblem = broker.problem();
    if (brokerProblem != null) {
      b.down().withData("broker", brokerProblem);
    }
    if (!engine.loaded()) {
      b.down().withData("engine", engine.error() == null ? "loading" : engine.error());
    }
    if (!dedup.caughtUp()) {
      b.down().withData("index", dedup.viewError() == null ? "reading the teacher index"
          : dedup.viewError());
    }
    if (!topics.done()) {
      b.down().withData("topics", "creating the topics");
    }
    return b.build();
  }
}

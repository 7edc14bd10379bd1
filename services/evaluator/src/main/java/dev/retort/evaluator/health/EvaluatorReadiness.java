package dev.retort.evaluator.health;

import dev.retort.evaluator.config.ArtifactStore;
import dev.retort.evaluator.evaluation.EngineWarmup;
import dev.retort.evaluator.messaging.TopicSetup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when job state can be kept (the artifact store's {@code jobs/} directory is writable),
 * models can be evaluated (the engine is loaded), the topics exist and the broker answers.
 */
@Readiness
@ApplicationScoped
public class EvaluatorReadiness implements HealthCheck {
  private final ArtifactStore store;
  private final EngineWarmup engine;
  private final TopicSetup topics;
  private final BrokerProbe broker;

  /**
   * Creates the check.
   *
   * @param store the artifact store
   * @param engine the engine warm-up
   * @param topics topic creation
   * @param broker the broker probe
   */
  @Inject
  public EvaluatorReadiness(ArtifactStore store, EngineWarmup engine, TopicSetup topics,
      BrokerProbe broker) {
    this.store = store;
    this.engine = engine;
    this.topics = topics;
    this.broker = broker;
  }

  /** {@inheritDoc} */
  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("evaluator").up();
    String brokerProblem = broker.problem();
    if (brokerProblem != null) {
      b.down().withData("broker", brokerProblem);
    }
    if (!engine.loaded()) {
      b.down().withData("engine", engine.error() == null ? "loading" : engine.error());
    }
    if (!topics.done()) {
      b.down().withData("topics", "creating the topics");
    }
    try {
      if (!Files.isWritable(Files.createDirectories(store.root().resolve("jobs")))) {
        b.down().withData("artifacts", store.root() + "/jobs is not writable");
      }
    } catch (IOException e) {
      b.down().withData("artifacts", "cannot create " + store.root() + "/jobs: " + e);
    }
    return b.build();
  }
}

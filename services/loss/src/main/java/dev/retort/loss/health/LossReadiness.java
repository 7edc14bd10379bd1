package dev.retort.loss.health;

import dev.retort.loss.config.ArtifactStore;
import dev.retort.loss.config.LossConfig;
import dev.retort.loss.messaging.TopicSetup;
import dev.retort.messaging.service.ReadinessChecks;
import dev.retort.service.engine.EngineWarmup;
import dev.retort.service.health.ServiceReadiness;
import dev.retort.service.kafka.AdminAccess;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when job state can be kept (the artifact store's {@code jobs/} directory is writable),
 * graphs can be computed (the engine is loaded), the topics exist and the broker answers.
 */
@Readiness
@Singleton // no client proxy: its superclass has no no-arguments constructor to subclass
public class LossReadiness extends ServiceReadiness {
  /**
   * Creates the check.
   *
   * @param store the artifact store
   * @param engine the engine warm-up
   * @param topics topic creation
   * @param admin the admin client the broker probe asks
   * @param config the service settings ({@code retort.loss.health.broker-*})
   */
  @Inject
  public LossReadiness(ArtifactStore store, EngineWarmup engine, TopicSetup topics,
      AdminAccess admin, LossConfig config) {
    super("loss", ReadinessChecks.builder()
        .addBroker(brokerProbe(admin, config.health().brokerTimeout(),
            config.health().brokerCache()))
        .addEngine(engine::loaded, engine::error)
        .addTopics(topics::done)
        .addJobsDirectory(store::root)
        .build());
  }
}

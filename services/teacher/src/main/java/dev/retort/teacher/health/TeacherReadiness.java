package dev.retort.teacher.health;

import dev.retort.messaging.service.ReadinessChecks;
import dev.retort.service.engine.EngineWarmup;
import dev.retort.service.health.ServiceReadiness;
import dev.retort.service.kafka.AdminAccess;
import dev.retort.teacher.config.TeacherConfig;
import dev.retort.teacher.messaging.Deduplicator;
import dev.retort.teacher.messaging.TopicSetup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the engine is loaded (teachers are then loadable), the index view has read the
 * existing entries, the topics exist and the broker answers.
 */
@Readiness
@Singleton // no client proxy: its superclass has no no-arguments constructor to subclass
public class TeacherReadiness extends ServiceReadiness {
  /**
   * Creates the check.
   *
   * @param engine the engine warm-up
   * @param dedup holds the index view
   * @param topics topic creation
   * @param admin the admin client the broker probe asks
   * @param config the service settings ({@code retort.teacher.health.broker-*})
   */
  @Inject
  public TeacherReadiness(EngineWarmup engine, Deduplicator dedup, TopicSetup topics,
      AdminAccess admin, TeacherConfig config) {
    super("teacher", ReadinessChecks.builder()
        .addBroker(brokerProbe(admin, config.health().brokerTimeout(),
            config.health().brokerCache()))
        .addEngine(engine::loaded, engine::error)
        .add("index", () -> dedup.caughtUp() ? null
            : dedup.viewError() == null ? "reading the teacher index" : dedup.viewError())
        .addTopics(topics::done)
        .build());
  }
}

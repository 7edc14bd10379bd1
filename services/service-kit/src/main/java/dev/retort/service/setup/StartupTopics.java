package dev.retort.service.setup;

import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.service.TopicCreation;
import dev.retort.service.kafka.KafkaClients;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates retort's missing topics at start-up on a background thread, retrying every 10 s until
 * the cluster answers, so a fresh cluster needs no separate set-up step ({@link TopicCreation}).
 *
 * <p>Each service that creates topics declares a one-constructor {@code TopicSetup} bean that
 * extends this class with its own configuration group; the start-up observer and the shutdown
 * callback are inherited.
 */
public abstract class StartupTopics {
  private static final Logger LOG = LoggerFactory.getLogger(StartupTopics.class);

  private final TopicCreationConfig config;
  private final TopicCreation creation;

  /**
   * Prepares the task; it starts with the application.
   *
   * @param clients where the cluster is
   * @param config the service's {@code topics} group
   */
  protected StartupTopics(KafkaClients clients, TopicCreationConfig config) {
    this.config = config;
    this.creation = new TopicCreation(clients, this::settings, LOG);
  }

  /**
   * Starts creating the topics when the application starts (public, so that the container can
   * call it on the subclass from any package).
   *
   * @param event the start-up event
   */
  public void onStart(@Observes StartupEvent event) {
    creation.start(config.createOnStart());
  }

  private TopicSettings settings() {
    return TopicSettings.builder()
        .optTeacherOutputRetention(config.teacherOutputRetention())
        .optDeadLetterRetention(config.deadLetterRetention())
        .optMaxMessageBytes(config.maxMessageBytes())
        .build();
  }

  /** Stops the creation task when the application stops. */
  @PreDestroy
  public void stop() {
    creation.stop();
  }

  /** Returns whether the topics exist (or creation is disabled). */
  public boolean done() {
    return creation.done();
  }
}

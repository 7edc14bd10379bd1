package dev.retort.loss.messaging;

import dev.retort.loss.config.LossConfig;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.service.TopicCreation;
import dev.retort.service.kafka.KafkaClients;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates retort's missing topics at start-up on a background thread, retrying every 10 s until
 * the cluster answers, so a fresh cluster needs no separate set-up step ({@link TopicCreation}).
 */
@ApplicationScoped
public class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  private final LossConfig.Topics config;
  private final TopicCreation creation;

  /**
   * Creates the task.
   *
   * @param clients where the cluster is
   * @param config the service settings
   */
  @Inject
  public TopicSetup(KafkaClients clients, LossConfig config) {
    this.config = config.topics();
    this.creation = new TopicCreation(clients, this::settings, LOG);
  }

  void onStart(@Observes StartupEvent event) {
    creation.start(config.createOnStart());
  }

  private TopicSettings settings() {
    return TopicSettings.builder()
        .optTeacherOutputRetention(config.teacherOutputRetention())
        .optDeadLetterRetention(config.deadLetterRetention())
        .optMaxMessageBytes(config.maxMessageBytes())
        .build();
  }

  @PreDestroy
  void stop() {
    creation.stop();
  }

  /** Returns whether the topics exist (or creation is disabled). */
  public boolean done() {
    return creation.done();
  }
}

package dev.retort.teacher.messaging;

import dev.retort.teacher.config.TeacherConfig;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.service.setup.StartupTopics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Creates retort's missing topics at start-up, as {@code retort.teacher.topics.*} says. */
@Singleton
public class TopicSetup extends StartupTopics {
  /**
   * Creates the task.
   *
   * @param clients where the cluster is
   * @param config the service settings
   */
  @Inject
  public TopicSetup(KafkaClients clients, TeacherConfig config) {
    super(clients, config.topics());
  }
}

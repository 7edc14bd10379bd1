package dev.retort.loss.messaging;

import dev.retort.loss.config.LossConfig;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.service.setup.StartupTopics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Creates retort's missing topics at start-up, as {@code retort.loss.topics.*} says. */
@Singleton
public class TopicSetup extends StartupTopics {
  /**
   * Creates the task.
   *
   * @param clients where the cluster is
   * @param config the service settings
   */
  @Inject
  public TopicSetup(KafkaClients clients, LossConfig config) {
    super(clients, config.topics());
  }
}

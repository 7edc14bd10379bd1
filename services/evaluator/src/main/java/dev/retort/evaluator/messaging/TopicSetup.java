package dev.retort.evaluator.messaging;

import dev.retort.evaluator.config.EvaluatorConfig;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.service.setup.StartupTopics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Creates retort's missing topics at start-up, as {@code retort.evaluator.topics.*} says. */
@Singleton
public class TopicSetup extends StartupTopics {
  /**
   * Creates the task.
   *
   * @param clients where the cluster is
   * @param config the service settings
   */
  @Inject
  public TopicSetup(KafkaClients clients, EvaluatorConfig config) {
    super(clients, config.topics());
  }
}

package dev.retort.evaluator.config;

import dev.retort.service.setup.ReplicaName;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The name of this replica: {@code retort.evaluator.instance-id}, else the host name. */
@Singleton
public class Instance extends ReplicaName {
  /**
   * Resolves the name.
   *
   * @param config the service settings
   */
  @Inject
  public Instance(EvaluatorConfig config) {
    super("evaluator", config.instanceId());
  }
}

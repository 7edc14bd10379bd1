package dev.retort.loss.health;

import dev.retort.loss.config.LossConfig;
import dev.retort.service.kafka.AdminAccess;
import dev.retort.messaging.service.ClusterProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether the Kafka cluster answers: {@code describeCluster} with a short timeout, the answer
 * reused for a few seconds so probes do not load the broker ({@link ClusterProbe}).
 */
@ApplicationScoped
public class BrokerProbe {
  private final ClusterProbe probe;

  /**
   * Creates the probe.
   *
   * @param admin the admin client
   * @param config the service settings
   */
  @Inject
  public BrokerProbe(AdminAccess admin, LossConfig config) {
    this.probe = new ClusterProbe(admin::admin, config.health().brokerTimeout(),
        config.health().brokerCache());
  }

  /** Returns why the cluster is not reachable, or null when it is. */
  public String problem() {
    return probe.problem();
  }
}

package dev.retort.trainer.health;

import dev.retort.messaging.ClientConfigs;
import dev.retort.trainer.messaging.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/** Whether the broker answers, cached for a few seconds so that probes stay cheap. */
@ApplicationScoped
public class BrokerProbe {
  private final KafkaClients clients;
  private volatile long checkedAt;
  private volatile String error = "not checked yet";

  /**
   * Creates the probe.
   *
   * @param clients the client factory
   */
  @Inject
  public BrokerProbe(KafkaClients clients) {
    this.clients = clients;
  }

  /** Returns null if the broker answered recently, else what went wrong. */
  public String problem() {
    long now = System.currentTimeMillis();
    if (now - checkedAt > 5_000) {
      try (Admin admin = Admin.create(ClientConfigs.admin(clients.bootstrap(), clients.overrides()))) {
        admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
        error = null;
      } catch (Exception e) {
        error = "broker " + clients.bootstrap() + " unreachable: " + e.getMessage();
      }
      checkedAt = now;
    }
    return error;
  }
}

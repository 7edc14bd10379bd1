package dev.retort.loss.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** The name of this replica: {@code retort.loss.instance-id}, else the host name. */
@ApplicationScoped
public class Instance {
  private final String id;

  /**
   * Resolves the name.
   *
   * @param config the service settings
   */
  @Inject
  public Instance(LossConfig config) {
    this.id = config.instanceId().filter(s -> !s.isBlank()).orElseGet(Instance::hostName);
  }

  /** Returns the replica name, e.g. {@code retort-loss-5d9f7}. */
  public String id() {
    return id;
  }

  /** Returns {@code loss-<id>}: the service name on dead letters and the client-id stem. */
  public String service() {
    return "loss-" + id;
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return UUID.randomUUID().toString().substring(0, 8);
    }
  }
}

package dev.retort.service.setup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.UUID;

/**
 * The name of one replica of a service: {@code retort.<service>.instance-id} when set, else the
 * host name (the pod name on Kubernetes). Each service declares a one-constructor {@code Instance}
 * bean that extends this class with its own configuration.
 */
public abstract class ReplicaName {
  private final String service;
  private final String id;

  /**
   * Resolves the name.
   *
   * @param service the service's short name, e.g. {@code teacher}
   * @param configured the configured instance id, if any; blank counts as unset
   */
  protected ReplicaName(String service, Optional<String> configured) {
    this.service = service;
    this.id = configured.filter(s -> !s.isBlank()).orElseGet(ReplicaName::hostName);
  }

  /** Returns the replica name, e.g. {@code retort-teacher-5d9f7}. */
  public String id() {
    return id;
  }

  /**
   * Returns {@code <service>-<id>}, e.g. {@code teacher-retort-teacher-5d9f7}: the service name on
   * dead letters and the stem of the Kafka client ids.
   */
  public String service() {
    return service + "-" + id;
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

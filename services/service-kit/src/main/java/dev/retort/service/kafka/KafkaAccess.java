package dev.retort.service.kafka;

import dev.retort.core.RetortException;
import dev.retort.messaging.KafkaSecurity;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Where the Kafka cluster is and how to reach it securely: Quarkus's {@code kafka.*} keys, which
 * the SmallRye channels use too, so the service's own clients and its channels agree.
 */
@ApplicationScoped
public class KafkaAccess {
  private final String bootstrap;
  private final Map<String, String> security;

  /**
   * Reads the settings.
   *
   * @param kafka Quarkus's {@code kafka.*} configuration, keys without the prefix
   */
  @Inject
  public KafkaAccess(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
    Object servers = kafka.get("bootstrap.servers");
    if (servers == null || servers.toString().isBlank()) {
      throw new RetortException("kafka.bootstrap.servers", "is not set",
          "Set it (or the environment variable KAFKA_BOOTSTRAP_SERVERS) to host:port of the cluster");
    }
    this.bootstrap = servers.toString().strip();
    this.security = Map.copyOf(KafkaSecurity.extract(kafka));
  }

  /** Returns the bootstrap servers. */
  public String bootstrap() {
    return bootstrap;
  }

  /** Returns the security settings ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}). */
  public Map<String, String> security() {
    return security;
  }
}

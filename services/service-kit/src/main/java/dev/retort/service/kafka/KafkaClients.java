package dev.retort.service.kafka;

import dev.retort.messaging.service.ClusterAccess;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Creates the Kafka clients a service owns besides its channels: its producer (teacher outputs,
 * loss replies, evaluation results; also job events and dead letters), the teacher's index consumer
 * and the admin client. Tests replace it to run without a broker.
 */
public interface KafkaClients extends ClusterAccess {

  /**
   * Creates a producer with {@code dev.retort.messaging.ClientConfigs#producer} settings and no
   * overrides.
   *
   * @param clientId the client id
   * @return the producer; the caller closes it
   */
  default Producer<String, byte[]> producer(String clientId) {
    return producer(clientId, Map.of());
  }

  /**
   * Creates a producer with {@code dev.retort.messaging.ClientConfigs#producer} settings.
   *
   * @param clientId the client id
   * @param overrides settings applied last (besides security)
   * @return the producer; the caller closes it
   */
  Producer<String, byte[]> producer(String clientId, Map<String, String> overrides);

  /**
   * Creates a consumer without group, for {@code assign} and {@code seek}.
   *
   * @param clientId the client id
   * @param overrides settings applied last (besides security)
   * @return the consumer; the caller closes it
   */
  Consumer<String, byte[]> assignedConsumer(String clientId, Map<String, String> overrides);

  /**
   * Creates an admin client.
   *
   * @return the admin client; the caller closes it
   */
  Admin admin();
}

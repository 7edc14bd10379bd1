package dev.retort.teacher.messaging;

import dev.retort.messaging.service.ClusterAccess;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Creates the Kafka clients the service owns besides its channel: the output producer, the index
 * view's consumer and the admin client. Tests replace it to run without a broker.
 */
public interface KafkaClients extends ClusterAccess {

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

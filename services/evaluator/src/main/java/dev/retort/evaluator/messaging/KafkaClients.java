package dev.retort.evaluator.messaging;

import dev.retort.messaging.service.ClusterAccess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

/**
 * Creates the Kafka clients the service owns besides its channel: the result producer and the
 * admin client. Tests replace it to run without a broker.
 */
public interface KafkaClients extends ClusterAccess {

  /**
   * Creates a producer with {@code dev.retort.messaging.ClientConfigs#producer} settings.
   *
   * @param clientId the client id
   * @return the producer; the caller closes it
   */
  Producer<String, byte[]> producer(String clientId);

  /**
   * Creates an admin client.
   *
   * @return the admin client; the caller closes it
   */
  Admin admin();
}

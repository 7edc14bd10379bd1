package dev.retort.service.testing;

import dev.retort.service.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Kafka clients without a broker: one {@link MockProducer} that acknowledges every send. The loss
 * and evaluator services' channel tests enable it ({@link InMemoryChannelsProfile}); the teacher
 * has its own, with an index consumer.
 */
@Alternative
@ApplicationScoped
public class FakeKafkaClients implements KafkaClients {
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final String service;

  /**
   * Creates the clients.
   *
   * @param service the service under test ({@code quarkus.application.name}), for messages
   */
  @Inject
  public FakeKafkaClients(@ConfigProperty(name = "quarkus.application.name") String service) {
    this.service = service;
  }

  /** Returns what was sent so far, in order. */
  public List<ProducerRecord<String, byte[]>> sent() {
    return new ArrayList<>(producer.history());
  }

  @Override
  public Producer<String, byte[]> producer(String clientId, Map<String, String> overrides) {
    return producer;
  }

  @Override
  public Consumer<String, byte[]> assignedConsumer(String clientId,
      Map<String, String> overrides) {
    throw new UnsupportedOperationException(
        "the " + service + " service reads no topic by assignment");
  }

  @Override
  public Admin admin() {
    throw new UnsupportedOperationException("no broker in channel tests");
  }

  @Override
  public String bootstrap() {
    return "in-memory";
  }

  @Override
  public Map<String, String> security() {
    return Map.of();
  }
}

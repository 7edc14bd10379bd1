package dev.retort.service.testing;

import dev.retort.service.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Kafka clients without a broker: one {@link MockProducer} that acknowledges every send, except
 * those to a topic a test made fail ({@link #failSendsTo}). The loss and evaluator services'
 * channel tests enable it ({@link InMemoryChannelsProfile}); the teacher has its own, with an
 * index consumer.
 */
@Alternative
@ApplicationScoped
public class FakeKafkaClients implements KafkaClients {
  private final Map<String, RuntimeException> failing = new ConcurrentHashMap<>();
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record,
            Callback callback) {
          RuntimeException error = failing.get(record.topic());
          if (error == null) {
            return super.send(record, callback);
          }
          if (callback != null) {
            callback.onCompletion(null, error);
          }
          return CompletableFuture.failedFuture(error);
        }
      };
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

  /**
   * Makes every later send to a topic fail with an error (not recorded in {@link #sent}), as a
   * broker that does not take it would.
   *
   * @param topic the topic
   * @param error what the sends fail with, e.g. a {@code NotEnoughReplicasException}
   */
  public void failSendsTo(String topic, RuntimeException error) {
    failing.put(topic, error);
  }

  /** Lets every send succeed again. */
  public void healSends() {
    failing.clear();
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

package dev.retort.trainer.messaging;

import dev.retort.messaging.ChunkedProducer;
import dev.retort.messaging.Chunker;
import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.KafkaSecurity;
import dev.retort.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the trainer's Kafka clients with the explicit, commented settings of {@link
 * ClientConfigs}, plus any security properties from {@code retort.trainer.kafka.properties}.
 */
@ApplicationScoped
public class KafkaClients {
  private final String bootstrap;
  private final TrainerConfig config;
  private final String instance;

  /**
   * Creates the factory.
   *
   * @param bootstrap the broker list (Quarkus' standard {@code kafka.bootstrap.servers})
   * @param config the trainer's configuration
   */
  @Inject
  public KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, TrainerConfig config) {
    this.bootstrap = bootstrap;
    this.config = config;
    this.instance = config.instanceId().orElseGet(KafkaClients::defaultInstance);
  }

  /** The pod's name on Kubernetes (stable for the pod's life), else the host and process. */
  private static String defaultInstance() {
    String host = System.getenv("HOSTNAME");
    return host != null && !host.isBlank() ? host : "trainer-" + ProcessHandle.current().pid();
  }

  /** Returns this replica's name. */
  public String instance() {
    return instance;
  }

  /** Returns the bootstrap servers. */
  public String bootstrap() {
    return bootstrap;
  }

  /** Returns the pass-through security and client properties. */
  public Map<String, String> overrides() {
    return KafkaSecurity.extract(config.kafka().properties());
  }

  /** Creates the shared producer of events, requests and checkpoints (idempotent, acks=all). */
  public KafkaProducer<String, byte[]> producer(String role) {
    Properties p = ClientConfigs.producer(bootstrap, instance + "-" + role, overrides());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Creates a chunking producer for messages that may exceed the broker's limit. */
  public ChunkedProducer chunkedProducer(String role) {
    return new ChunkedProducer(producer(role), new Chunker(config.kafka().maxChunkBytes()));
  }

  /**
   * Creates a consumer in a group (manual commits), with static membership: the replica's name is
   * its {@code group.instance.id}, so a replica that restarts within the session timeout gets its
   * partitions back at once instead of waiting for the group to notice it left.
   */
  public KafkaConsumer<String, byte[]> groupConsumer(String groupId, String role, Map<String, String> extra) {
    Map<String, String> o = new java.util.HashMap<>(overrides());
    o.put("group.instance.id", instance + "-" + role);
    o.putAll(extra);
    Properties p = ClientConfigs.consumer(bootstrap, groupId, instance + "-" + role, o);
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Creates a consumer without a group, for assigned partitions. */
  public KafkaConsumer<String, byte[]> assignedConsumer(String role) {
    Properties p = ClientConfigs.assignedConsumer(bootstrap, instance + "-" + role, overrides());
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }
}

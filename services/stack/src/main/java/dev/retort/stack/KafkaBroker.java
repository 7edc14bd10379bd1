package dev.retort.stack;

import java.time.Duration;
import java.util.List;

/**
 * A Kafka broker that retort code and tests talk to through its bootstrap address.
 *
 * <p>Three kinds, chosen by configuration through {@link KafkaBrokers#fromConfig}: a broker JVM
 * started as a separate process ({@link ProcessKafkaBroker}, what {@code retort up} uses), the
 * same broker inside the calling JVM ({@link EmbeddedKafkaBroker}, fast unit-level tests), and an
 * existing broker ({@link ExternalKafka}: Testcontainers where Docker exists, or a shared cluster).
 * Code that only needs a broker should depend on this interface, never on a kind.
 */
public interface KafkaBroker extends AutoCloseable {

  /**
   * Starts the broker if this kind starts one, and waits until it is ready.
   *
   * @throws dev.retort.core.RetortException if it does not become ready in the configured time;
   *     the message says where to look (the broker's log file)
   */
  void start();

  /** Stops the broker politely if this kind started one; does nothing when it is not running. */
  void stop();

  /**
   * Returns the bootstrap address clients use, e.g. {@code 127.0.0.1:40123}.
   *
   * @throws IllegalStateException if a local broker was never started (its port is not known)
   */
  String bootstrapServers();

  /**
   * Waits until the broker answers {@code describeCluster} with at least one node.
   *
   * @param timeout how long to wait
   * @throws dev.retort.core.RetortException if it does not answer in time
   */
  void awaitReady(Duration timeout);

  /**
   * Creates the topics that do not exist yet, with the admin client; existing topics are kept.
   *
   * @param topics the topics
   * @return the names of the topics this call created
   */
  default List<String> createTopics(List<TopicSpec> topics) {
    return KafkaAdmin.createTopics(bootstrapServers(), topics, Duration.ofSeconds(30));
  }

  /** Stops the broker, as {@link #stop()}. */
  @Override
  default void close() {
    stop();
  }
}

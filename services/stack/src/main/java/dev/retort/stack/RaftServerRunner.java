package dev.retort.stack;

import dev.retort.core.RetortException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * The only class that touches the broker's own classes ({@code kafka_2.13}); kept apart so that
 * {@link EmbeddedKafkaBroker} can check they are on the classpath before loading them.
 */
final class RaftServerRunner {
  private final KafkaRaftServer server;

  private RaftServerRunner(KafkaRaftServer server) {
    this.server = server;
  }

  /**
   * Formats a data directory in this JVM, as {@code kafka-storage.sh format} does.
   *
   * @param propertiesFile the broker's {@code server.properties}
   * @param clusterId the new cluster id
   */
  static void format(Path propertiesFile, String clusterId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(
          new String[] {"format", "-t", clusterId, "-c", propertiesFile.toString()}, out);
    } catch (RuntimeException e) {
      throw new RetortException(propertiesFile.toString(), "formatting the Kafka data directory "
          + "failed: " + e.getMessage(), "Check the properties in that file", e);
    }
    if (rc != 0) {
      throw new RetortException(propertiesFile.toString(), "formatting the Kafka data directory "
          + "failed with code " + rc + ": " + bytes.toString(StandardCharsets.UTF_8).strip(),
          "Check the properties in that file");
    }
  }

  /**
   * Starts a broker in this JVM.
   *
   * @param properties the broker properties
   * @return the running broker
   */
  static RaftServerRunner start(Map<String, String> properties) {
    KafkaConfig config = KafkaConfig.fromProps(BrokerProperties.toProperties(properties), false);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      server.shutdown();
      throw e;
    }
    return new RaftServerRunner(server);
  }

  /** Shuts the broker down and waits until its threads have stopped. */
  void shutdown() {
    server.shutdown();
    server.awaitShutdown();
  }
}

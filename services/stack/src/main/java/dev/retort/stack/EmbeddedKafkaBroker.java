package dev.retort.stack;

import dev.retort.core.RetortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft combined mode, one node) running inside the calling JVM.
 *
 * <p>Same broker classes and the same {@link BrokerProperties} as {@link ProcessKafkaBroker}, but
 * no second JVM: {@code kafka.tools.StorageTool} formats the data directory in-process and {@code
 * kafka.server.KafkaRaftServer} runs the node (Kafka 4.1.1 ships no test kit in its main jars; the
 * {@code kafka.testkit} classes moved to test artifacts). Fast, for unit-level tests; it shares the
 * caller's heap and logging, and a broker that calls {@code Exit.halt} on a fatal error takes the
 * caller with it, so the stack itself uses the process broker.
 *
 * <p>Needs {@code org.apache.kafka:kafka_2.13} on the caller's classpath: retort-stack declares it
 * optional, so callers that use this class add it themselves.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final KafkaSettings settings;
  private BrokerPorts ports;
  private RaftServerRunner server;

  /**
   * Creates a broker; nothing starts until {@link #start()}.
   *
   * @param settings where and how to run it (JVM options and the log file are not used)
   */
  public EmbeddedKafkaBroker(KafkaSettings settings) {
    this.settings = settings;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    requireBrokerClasses();
    if (ports == null) {
      ports = BrokerPorts.choose(settings);
    }
    Map<String, String> properties = BrokerProperties.of(settings, ports);
    Path propertiesFile = settings.workDir().resolve("server.properties");
    BrokerProperties.write(properties, propertiesFile);
    long t0 = System.nanoTime();
    if (!Files.isRegularFile(settings.dataDir().resolve("meta.properties"))) {
      RaftServerRunner.format(propertiesFile, Uuid.randomUuid().toString());
    }
    server = RaftServerRunner.start(properties);
    try {
      awaitReady(settings.startTimeout());
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    LOG.info("Embedded Kafka broker {} ready in {} ms", bootstrapServers(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public synchronized void awaitReady(Duration timeout) {
    Readiness readiness =
        KafkaAdmin.awaitReady(bootstrapServers(), timeout, () -> true);
    if (!readiness.ready()) {
      throw new RetortException(settings.workDir().toString(),
          "the embedded Kafka broker at " + bootstrapServers() + " was not ready after "
              + timeout.toSeconds() + " s (last error: " + readiness.lastError() + ")",
          "Look for errors of the kafka.* and org.apache.kafka.* loggers in this JVM's log");
    }
  }

  @Override
  public synchronized void stop() {
    if (server != null) {
      RaftServerRunner running = server;
      server = null;
      running.shutdown();
    }
  }

  /** Stops the broker and starts it again with the same ports and data. */
  public synchronized void restart() {
    stop();
    start();
  }

  @Override
  public synchronized String bootstrapServers() {
    if (ports == null) {
      throw new IllegalStateException("the broker has not been started, so it has no port yet");
    }
    return ports.bootstrapServers();
  }

  private static void requireBrokerClasses() {
    try {
      Class.forName("kafka.server.KafkaRaftServer", false, EmbeddedKafkaBroker.class
          .getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new RetortException("classpath",
          "the embedded Kafka broker needs org.apache.kafka:kafka_2.13, which is not on the "
              + "classpath",
          "Add org.apache.kafka:kafka_2.13 (test scope is enough) to the module's pom, or use "
              + "the process broker (RETORT_KAFKA_MODE=process)");
    }
  }
}

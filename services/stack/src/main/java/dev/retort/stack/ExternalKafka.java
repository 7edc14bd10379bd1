package dev.retort.stack;

import dev.retort.core.RetortException;
import java.time.Duration;
import java.util.Objects;

/**
 * A broker this module does not run: only its bootstrap address is known.
 *
 * <p>For an existing broker, a shared cluster, or Testcontainers' Kafka where Docker exists: the
 * caller starts the container and passes its bootstrap servers (usually through {@code
 * RETORT_KAFKA_BOOTSTRAP}, see {@link KafkaBrokers}). {@link #start()} only waits until the broker
 * answers; {@link #stop()} does nothing.
 */
public final class ExternalKafka implements KafkaBroker {
  private final String bootstrapServers;
  private final Duration startTimeout;

  /**
   * Creates a handle on an existing broker.
   *
   * @param bootstrapServers its bootstrap address, e.g. {@code localhost:9092}
   * @param startTimeout how long {@link #start()} waits for it to answer
   */
  public ExternalKafka(String bootstrapServers, Duration startTimeout) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers").strip();
    this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
    if (this.bootstrapServers.isEmpty()) {
      throw new IllegalArgumentException("bootstrapServers must not be empty");
    }
  }

  @Override
  public void start() {
    awaitReady(startTimeout);
  }

  @Override
  public void awaitReady(Duration timeout) {
    Readiness readiness = KafkaAdmin.awaitReady(bootstrapServers, timeout, () -> true);
    if (!readiness.ready()) {
      throw new RetortException(KafkaBrokers.BOOTSTRAP_ENV + "=" + bootstrapServers,
          "no Kafka broker answered there within " + timeout.toSeconds() + " s (last error: "
              + readiness.lastError() + ")",
          "Start the broker, or correct the address, or unset " + KafkaBrokers.BOOTSTRAP_ENV
              + " to let retort start a local broker");
    }
  }

  @Override
  public void stop() {
    // Not ours to stop.
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }
}

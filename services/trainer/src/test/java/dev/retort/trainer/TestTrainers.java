package dev.retort.trainer;

import dev.retort.messaging.JobEvents;
import dev.retort.trainer.config.TrainerConfig;
import dev.retort.trainer.job.EventPublisher;
import dev.retort.trainer.job.JobExecutor;
import dev.retort.trainer.messaging.KafkaClients;
import dev.retort.trainer.metrics.TrainerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A trainer's parts without a broker: a mock producer and settings that do what a test says. */
public final class TestTrainers {
  /** The replica name the parts use. */
  public static final String INSTANCE = "test-trainer";

  private TestTrainers() {}

  /** A producer that acknowledges every record at once and keeps them. */
  public static MockProducer<String, byte[]> producer() {
    return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Settings whose methods answer from {@code answers} (a supplier may throw); {@code instanceId}
   * is {@link #INSTANCE} and {@code kafka().properties()} empty unless given.
   */
  public static TrainerConfig config(Map<String, Supplier<Object>> answers) {
    TrainerConfig.Kafka kafka = (TrainerConfig.Kafka) Proxy.newProxyInstance(
        TrainerConfig.class.getClassLoader(), new Class<?>[] {TrainerConfig.Kafka.class},
        (proxy, method, args) -> method.getName().equals("properties") ? Map.of() : null);
    return (TrainerConfig) Proxy.newProxyInstance(
        TrainerConfig.class.getClassLoader(), new Class<?>[] {TrainerConfig.class},
        (proxy, method, args) -> {
          Supplier<Object> answer = answers.get(method.getName());
          if (answer != null) {
            return answer.get();
          }
          return switch (method.getName()) {
            case "instanceId" -> Optional.of(INSTANCE);
            case "kafka" -> kafka;
            case "dataRoots", "replayThreads" -> Optional.empty();
            default -> throw new UnsupportedOperationException(method.getName());
          };
        });
  }

  /** Publishes events with {@link #INSTANCE} as source. */
  public static EventPublisher events(MockProducer<String, byte[]> producer) {
    return new EventPublisher(producer, new JobEvents(INSTANCE, Clock.systemUTC()));
  }

  /** Metrics into a registry of their own. */
  public static TrainerMetrics metrics() {
    return new TrainerMetrics(new SimpleMeterRegistry());
  }

  /** An executor over an artifact root, with no teacher index or loss replies (no broker). */
  public static JobExecutor executor(TrainerConfig config, Path root, MockProducer<String, byte[]> producer) {
    return new JobExecutor(config, root, new KafkaClients("localhost:1", config), producer, events(producer),
        null, null, metrics());
  }
}

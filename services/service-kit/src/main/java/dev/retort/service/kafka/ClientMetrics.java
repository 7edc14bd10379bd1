package dev.retort.service.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Binds the metrics of the Kafka clients this service creates itself (Quarkus binds those of its
 * channels) to Micrometer, as {@code kafka.producer.*} and {@code kafka.consumer.*} meters tagged
 * with the client id.
 */
@ApplicationScoped
public class ClientMetrics {
  private final MeterRegistry registry;
  private final List<KafkaClientMetrics> bound = new ArrayList<>();

  /**
   * Creates the binder.
   *
   * @param registry the registry
   */
  @Inject
  public ClientMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Binds a producer's metrics. */
  public synchronized void bind(Producer<?, ?> producer) {
    KafkaClientMetrics m = new KafkaClientMetrics(producer);
    m.bindTo(registry);
    bound.add(m);
  }

  /** Binds a consumer's metrics. */
  public synchronized void bind(Consumer<?, ?> consumer) {
    KafkaClientMetrics m = new KafkaClientMetrics(consumer);
    m.bindTo(registry);
    bound.add(m);
  }

  /** Stops the binders' refresh. */
  @PreDestroy
  public synchronized void close() {
    bound.forEach(KafkaClientMetrics::close);
    bound.clear();
  }
}

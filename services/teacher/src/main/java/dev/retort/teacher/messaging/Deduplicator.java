package dev.retort.teacher.messaging;

import dev.retort.messaging.Topics;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.service.kafka.AdminAccess;
import dev.retort.service.kafka.ClientMetrics;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.teacher.config.Instance;
import dev.retort.teacher.config.TeacherConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a teacher request needs computing: not when its key is in the index with an
 * output still in the log. A worker first {@link #claim}s the key, so no two workers of this
 * replica compute one key (see {@link InFlightKeys}).
 *
 * <p>Requests for one key always land in one partition and so on one replica, which makes the
 * in-flight keys of that replica sufficient. An indexed output below its partition's log start was
 * deleted by retention: it is forgotten and computed again (the trainer asks again when its replay
 * finds the output gone). When the log start cannot be read, the output is computed again too: a
 * wasted forward pass is better than a trainer waiting for an output that is gone. Gauges: {@code
 * retort.teacher.index.entries}, {@code retort.teacher.inflight}.
 */
@ApplicationScoped
public class Deduplicator {
  private static final Logger LOG = LoggerFactory.getLogger(Deduplicator.class);

  private final KafkaClients clients;
  private final Instance instance;
  private final ClientMetrics clientMetrics;
  private final LogStarts logStarts;
  private final InFlightKeys inFlight = new InFlightKeys();
  private volatile IndexView view;

  /**
   * Creates the deduplicator; the index view starts with the application.
   *
   * @param clients the client factory
   * @param admin the admin client
   * @param config the service settings
   * @param instance this replica
   * @param clientMetrics binds the view consumer's metrics
   * @param registry where the gauges go
   */
  @Inject
  public Deduplicator(KafkaClients clients, AdminAccess admin, TeacherConfig config,
      Instance instance, ClientMetrics clientMetrics, MeterRegistry registry) {
    this.clients = clients;
    this.instance = instance;
    this.clientMetrics = clientMetrics;
    this.logStarts = new LogStarts(admin::admin, config.index().retentionCheckCache(),
        Duration.ofSeconds(10));
    Gauge.builder("retort.teacher.index.entries", this, d -> d.view == null ? 0 : d.view.size())
        .description("Teacher outputs known to the index view").register(registry);
    Gauge.builder("retort.teacher.inflight", inFlight, InFlightKeys::size)
        .description("Teacher requests being computed").register(registry);
  }

  void onStart(@Observes StartupEvent event) {
    Consumer<String, byte[]> consumer = clients.assignedConsumer(instance.service() + "-index",
        // The compacted index may have deleted old offsets; start from whatever is first.
        Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    clientMetrics.bind(consumer);
    IndexView v = new IndexView(consumer, Topics.TEACHER_INDEX, Duration.ofMillis(500));
    v.start();
    view = v;
  }

  /**
   * Waits until the index view has read the entries that existed at start-up.
   *
   * @param timeout the longest wait
   * @return whether it has
   */
  public boolean awaitCaughtUp(Duration timeout) {
    IndexView v = view;
    return v != null && v.awaitCaughtUp(timeout);
  }

  /** Returns whether the index view has caught up. */
  public boolean caughtUp() {
    IndexView v = view;
    return v != null && v.caughtUp();
  }

  /** Returns why the index view stopped, or null while it runs. */
  public String viewError() {
    IndexView v = view;
    return v == null ? null : v.error();
  }

  /**
   * Returns where the output of a request already is, or empty when it must be computed. Call it
   * while holding the key ({@link #claim}).
   *
   * @param key {@code <pass id>/<batch key>}
   * @return e.g. "indexed at retort.teacher.outputs.v1-3@120"
   */
  public Optional<String> indexed(String key) {
    IndexView v = view;
    Optional<TeacherOutputLocation> loc = v == null ? Optional.empty() : v.get(key);
    if (loc.isEmpty()) {
      return Optional.empty();
    }
    TeacherOutputLocation l = loc.get();
    TopicPartition tp = new TopicPartition(l.getTopic(), l.getPartition());
    try {
      if (l.getOffset() >= logStarts.earliest(tp)) {
        return Optional.of("indexed at " + tp + "@" + l.getOffset());
      }
      LOG.info("Output {} at {}@{} was deleted by retention; computing it again", key, tp,
          l.getOffset());
      v.forget(key);
    } catch (RuntimeException e) {
      LOG.warn("Cannot check that output {} is still in the log ({}); computing it again", key,
          e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Waits until no other worker of this replica computes or publishes the key, then holds it until
   * {@link #finish} or {@link #abandon}.
   *
   * @param key the key
   * @return whether the call waited for another worker
   */
  public boolean claim(String key) {
    return inFlight.claim(key);
  }

  /**
   * Records a published output and ends its computation.
   *
   * @param key the key
   * @param location where it was published
   */
  public void finish(String key, TeacherOutputLocation location) {
    IndexView v = view;
    if (v != null) {
      v.put(key, location);
    }
    inFlight.release(key);
  }

  /**
   * Ends a computation that failed.
   *
   * @param key the key
   */
  public void abandon(String key) {
    inFlight.release(key);
  }

  /** Stops the index view. */
  @PreDestroy
  public void close() {
    IndexView v = view;
    if (v != null) {
      v.close();
    }
  }
}

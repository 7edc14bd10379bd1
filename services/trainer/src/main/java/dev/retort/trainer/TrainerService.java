package dev.retort.trainer;

import dev.retort.core.engine.Torch;
import dev.retort.messaging.DeadLetters;
import dev.retort.messaging.JobEvents;
import dev.retort.trainer.config.TrainerConfig;
import dev.retort.trainer.job.EventPublisher;
import dev.retort.trainer.job.JobExecutor;
import dev.retort.trainer.messaging.ControlListener;
import dev.retort.trainer.messaging.JobRequestRunner;
import dev.retort.trainer.messaging.KafkaClients;
import dev.retort.trainer.messaging.LossReplies;
import dev.retort.trainer.messaging.TeacherIndexView;
import dev.retort.trainer.messaging.TeacherRejections;
import dev.retort.trainer.metrics.TrainerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the trainer at start-up: the shared producer, the teacher index view, the loss-reply and
 * control listeners, and the job request loop; and takes them down in reverse order at shutdown, so
 * that a running job checkpoints and is resumed by the next replica.
 */
@ApplicationScoped
public class TrainerService {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

  private final TrainerConfig config;
  private final dev.retort.trainer.config.ArtifactsConfig artifacts;
  private final KafkaClients clients;
  private final TrainerMetrics metrics;
  private final MeterRegistry registry;
  private KafkaProducer<String, byte[]> producer;
  private TeacherIndexView index;
  private TeacherRejections rejections;
  private LossReplies replies;
  private ControlListener control;
  private JobRequestRunner runner;

  /**
   * Creates the service.
   *
   * @param config trainer settings
   * @param artifacts the shared artifact store
   * @param clients Kafka client factory
   * @param metrics the trainer's metrics
   * @param registry Micrometer's registry, for Kafka client metrics
   */
  @Inject
  public TrainerService(
      TrainerConfig config, dev.retort.trainer.config.ArtifactsConfig artifacts, KafkaClients clients,
      TrainerMetrics metrics, MeterRegistry registry) {
    this.config = config;
    this.artifacts = artifacts;
    this.clients = clients;
    this.metrics = metrics;
    this.registry = registry;
  }

  void start(@Observes StartupEvent e) {
    Torch.noGradOnThisThread(); // loads libtorch once, at start-up
    producer = clients.producer("main");
    new KafkaClientMetrics(producer).bindTo(registry);
    EventPublisher events = new EventPublisher(producer, new JobEvents(clients.instance(), Clock.systemUTC()));
    DeadLetters dead = DeadLetters.builder(producer).setService("retort-trainer").build();
    java.util.function.BiConsumer<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>, String> bad = (r, reason) -> {
      dead.publish(r, reason);
      metrics.deadLetter(r.topic());
    };
    index = new TeacherIndexView(clients, Duration.ofMinutes(5), bad);
    rejections = new TeacherRejections(clients, index);
    replies = new LossReplies(clients, Duration.ofMinutes(2), bad);
    control = new ControlListener(clients, bad);
    JobExecutor executor = new JobExecutor(config, java.nio.file.Path.of(artifacts.root()), clients, producer, events, index, replies, metrics);
    var consumer = clients.groupConsumer(config.kafka().groupId(), "requests",
        // A handful per poll: the loop picks the oldest of what it holds (at most 16 pending).
        java.util.Map.of("max.poll.records", "8"));
    new KafkaClientMetrics(consumer).bindTo(registry);
    runner = new JobRequestRunner(consumer, executor, events, dead, control, metrics, config.kafka().pollTimeout());
    runner.start();
    LOG.info("trainer {} started: artifacts at {}, bootstrap {}", clients.instance(), executor.root(), clients.bootstrap());
  }

  void stop(@Observes ShutdownEvent e) {
    if (runner != null) {
      runner.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {control, replies, rejections, index}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort at shutdown
      }
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
  }

  /** Returns the request loop (health checks). */
  public JobRequestRunner runner() {
    return runner;
  }

  /** Returns the teacher index view (health checks). */
  public TeacherIndexView index() {
    return index;
  }

  /** Returns the loss replies listener (health checks). */
  public LossReplies replies() {
    return replies;
  }

  /** Returns the reader of the teacher's dead letters (health checks). */
  public TeacherRejections rejections() {
    return rejections;
  }

  /** Returns the control listener (health checks). */
  public ControlListener control() {
    return control;
  }
}

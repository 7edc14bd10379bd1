package dev.retort.cli.platform;

import dev.retort.core.RetortException;
import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.LeastLoadedPartition;
import dev.retort.messaging.Topics;
import dev.retort.messaging.TrainingRequests;
import dev.retort.proto.v1.JobControl;
import dev.retort.proto.v1.SchemaVersion;
import dev.retort.proto.v1.TrainingRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The command line's connection to a running platform: publishes training requests and cancel
 * commands, and reads job events and evaluation results.
 */
public final class PlatformClient implements AutoCloseable {
  /** The trainers' consumer group ({@code retort.trainer.kafka.group-id}); RETORT_TRAINER_GROUP overrides it. */
  static final String TRAINER_GROUP = "retort-trainer";

  private final String bootstrap;
  private final boolean local; // the platform of 'retort up', found through its state directory
  private final KafkaProducer<String, byte[]> producer;
  private Admin admin; // created on the first submission

  private PlatformClient(String bootstrap, boolean local) {
    this.bootstrap = bootstrap;
    this.local = local;
    this.producer = new KafkaProducer<>(ClientConfigs.producer(bootstrap, "retort-cli", Map.of()),
        new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Connects: to {@code --bootstrap}, else {@code RETORT_KAFKA_BOOTSTRAP}, else the platform that
   * {@code retort up} started.
   *
   * @param bootstrap the option's value, or null
   * @param stateDir the local platform's state directory
   * @return the client
   * @throws RetortException when there is nothing to connect to
   */
  public static PlatformClient connect(String bootstrap, Path stateDir) {
    String b = bootstrap;
    if (b == null) {
      b = System.getenv("RETORT_KAFKA_BOOTSTRAP");
    }
    if (b == null) {
      Optional<String> local = LocalPlatform.runningBootstrap(stateDir);
      if (local.isEmpty()) {
        throw new RetortException("retort", "no platform to talk to: no --bootstrap, no RETORT_KAFKA_BOOTSTRAP, and no local platform is running",
            "Start one with 'retort up', or point --bootstrap at a Kafka cluster running the retort services");
      }
      return new PlatformClient(local.get(), true);
    }
    return new PlatformClient(b, false);
  }

  /** Returns the broker address. */
  public String bootstrap() {
    return bootstrap;
  }

  /**
   * Returns whether this client reached the platform of {@code retort up} through its state
   * directory (no {@code --bootstrap}, no {@code RETORT_KAFKA_BOOTSTRAP}): its artifact store is then
   * on this machine, at {@link LocalPlatform#artifactsBeside(Path)}.
   */
  public boolean local() {
    return local;
  }

  /**
   * Publishes a training request keyed by its job id, to the partition its key hashes to: a
   * repeated request for the same id reaches the same trainer replica, which runs the job once
   * (a finished job is not run again; an interrupted one resumes).
   *
   * @param jobId the id
   * @param job the job's keys as a tree
   * @return the request
   */
  public TrainingRequest submit(String jobId, Map<String, Object> job) {
    TrainingRequest r = request(jobId, job);
    send(new ProducerRecord<>(Topics.JOB_REQUESTS, jobId, r.toByteArray()));
    return r;
  }

  /**
   * Publishes a training request for a job id that no request has used yet to the partition of the
   * trainer replica with the least work queued, so that jobs submitted together (a search
   * population, students sharing a teacher pass) spread over the replicas instead of following the
   * hash of their ids. The caller guarantees the id is new: a repeated id could reach another
   * replica while the first still runs it. Without an answer from the trainers' group, the key
   * hash decides, as in {@link #submit}.
   *
   * @param jobId a job id never submitted before
   * @param job the job's keys as a tree
   * @return the request
   */
  public synchronized TrainingRequest submitNew(String jobId, Map<String, Object> job) {
    // Synchronized: each choice must see the requests sent before it (send waits for the ack).
    TrainingRequest r = request(jobId, job);
    OptionalInt partition = leastLoaded().next();
    send(partition.isPresent()
        ? new ProducerRecord<>(Topics.JOB_REQUESTS, partition.getAsInt(), jobId, r.toByteArray())
        : new ProducerRecord<>(Topics.JOB_REQUESTS, jobId, r.toByteArray()));
    return r;
  }

  private static TrainingRequest request(String jobId, Map<String, Object> job) {
    return TrainingRequests.builder(jobId, job, Clock.systemUTC())
        .setSubmittedBy("retort-cli " + System.getProperty("user.name", ""))
        .build();
  }

  private LeastLoadedPartition leastLoaded() {
    if (admin == null) {
      admin = Admin.create(ClientConfigs.admin(bootstrap, Map.of()));
    }
    String group = System.getenv().getOrDefault("RETORT_TRAINER_GROUP", TRAINER_GROUP);
    return new LeastLoadedPartition(admin, Topics.JOB_REQUESTS, group, Duration.ofSeconds(5));
  }

  /** Publishes a cancel command. */
  public void cancel(String jobId, String reason) {
    TrainingRequests.checkJobId(jobId);
    JobControl c = JobControl.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1).setJobId(jobId)
        .setCancel(JobControl.Cancel.newBuilder().setReason(reason)).build();
    send(new ProducerRecord<>(Topics.JOB_CONTROL, jobId, c.toByteArray()));
  }

  private void send(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new RetortException("broker " + bootstrap, "cannot publish to " + record.topic() + ": " + e.getMessage(),
          "Check that the broker is running ('retort up') and reachable");
    }
  }

  /** Returns a reader of a topic positioned at its current end (events from now on). */
  public TopicReader fromNow(String topic) {
    return new TopicReader(bootstrap, topic, false);
  }

  /** Returns a reader of a topic from its first record. */
  public TopicReader fromStart(String topic) {
    return new TopicReader(bootstrap, topic, true);
  }

  /** Reads every partition of a topic without a consumer group. */
  public static final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;

    TopicReader(String bootstrap, String topic, boolean fromStart) {
      consumer = new KafkaConsumer<>(ClientConfigs.assignedConsumer(bootstrap, "retort-cli-reader", Map.of()),
          new StringDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> parts = new ArrayList<>();
      consumer.partitionsFor(topic, Duration.ofSeconds(20)).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      consumer.assign(parts);
      if (fromStart) {
        consumer.seekToBeginning(parts);
      } else {
        consumer.seekToEnd(parts);
      }
      parts.forEach(consumer::position);
    }

    /**
     * Reads until {@code done} says so or the time is up.
     *
     * @param handler receives every record
     * @param done checked after each poll
     * @param timeout the longest wait
     * @return whether {@code done} became true
     */
    public boolean read(Consumer<ConsumerRecord<String, byte[]>> handler, java.util.function.BooleanSupplier done, Duration timeout) {
      long end = System.currentTimeMillis() + timeout.toMillis();
      while (System.currentTimeMillis() < end) {
        for (var r : consumer.poll(Duration.ofMillis(250))) {
          handler.accept(r);
        }
        if (done.getAsBoolean()) {
          return true;
        }
      }
      return false;
    }

    /** Reads everything currently in the topic. */
    public void drain(Consumer<ConsumerRecord<String, byte[]>> handler, Predicate<String> keys) {
      var ends = consumer.endOffsets(consumer.assignment());
      read(r -> {
        if (keys.test(r.key())) {
          handler.accept(r);
        }
      }, () -> ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()), Duration.ofSeconds(30));
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}

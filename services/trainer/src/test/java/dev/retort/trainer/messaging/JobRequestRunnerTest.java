package dev.retort.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.messaging.DeadLetters;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.JobEvent;
import dev.retort.trainer.TestTrainers;
import dev.retort.trainer.config.TrainerConfig;
import dev.retort.trainer.job.JobLock;
import dev.retort.trainer.job.JobState;
import dev.retort.trainer.metrics.TrainerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request loop without a broker: a mock consumer feeds it, a mock producer keeps what it sends. */
class JobRequestRunnerTest {
  private static final TopicPartition PARTITION = new TopicPartition(Topics.JOB_REQUESTS, 0);
  /** A job that validates: the tiny teacher and student have the same head count. */
  private static final String TINY_JOB = "{\"teacher\":{\"model\":\"preset:tiny\"},\"student\":{\"preset\":\"tiny\"}}";

  @TempDir Path root;

  @Test
  void aRequestWhoseValidationThrowsUnexpectedlyIsRejectedAndTheLoopHandlesTheNextRequest() throws Exception {
    MockProducer<String, byte[]> producer = TestTrainers.producer();
    // The resource limits cannot be read: validation fails with an error that is no RetortException.
    var config = TestTrainers.config(Map.<String, Supplier<Object>>of("limits", () -> {
      throw new IllegalStateException("limits unavailable");
    }));
    SlowMockConsumer consumer = new SlowMockConsumer();
    try (var runner = runner(consumer, producer, config)) {
      runner.start();
      consumer.schedulePollTask(() -> {
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.addRecord(request(0, "boom-1", "{\"teacher\":{\"model\":\"preset:tiny\"}}"));
        consumer.addRecord(new ConsumerRecord<>(Topics.JOB_REQUESTS, 0, 1, "after", new byte[] {0x0a, (byte) 0xff}));
      });
      awaitCommitted(consumer, 2);

      assertThat(runner.alive()).as("the loop survives").isTrue();
      List<DeadLetter> letters = sent(producer, Topics.DEAD_LETTERS, DeadLetter.getDefaultInstance());
      assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(0L, 1L);
      assertThat(letters.get(0).getReason()).contains("validating the job failed unexpectedly")
          .contains("limits unavailable");
      JobEvent rejected = sent(producer, Topics.JOB_EVENTS, JobEvent.getDefaultInstance()).get(0);
      assertThat(rejected.getRejected().getWhere()).isEqualTo("request boom-1");
      assertThat(rejected.getRejected().getFix()).contains("report this with the trainer's log for job boom-1");
      assertThat(JobState.status(root.resolve("jobs").resolve("boom-1"))).contains("rejected");
    }
  }

  @Test
  void aRejectedRequestWhoseDeadLetterTheBrokerRefusesStaysUncommittedAndIsRejectedAgain() throws Exception {
    // The first dead letter is refused; the second is taken.
    AtomicInteger refusals = new AtomicInteger(1);
    MockProducer<String, byte[]> producer = new MockProducer<>(true, null,
        new StringSerializer(), new ByteArraySerializer()) {
      @Override
      public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
        if (record.topic().equals(Topics.DEAD_LETTERS) && refusals.getAndDecrement() > 0) {
          var error = new TimeoutException("the broker is away");
          callback.onCompletion(null, error);
          return CompletableFuture.failedFuture(error);
        }
        return super.send(record, callback);
      }
    };
    SlowMockConsumer consumer = new SlowMockConsumer();
    try (var runner = runner(consumer, producer, TestTrainers.config(Map.of()), Duration.ofMillis(300))) {
      runner.start();
      consumer.schedulePollTask(() -> {
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.addRecord(new ConsumerRecord<>(Topics.JOB_REQUESTS, 0, 0, "garbage", new byte[] {0x0a, (byte) 0xff}));
      });
      Thread.sleep(150);
      assertThat(consumer.committed(Set.of(PARTITION)).get(PARTITION))
          .as("not committed while its dead letter is lost").isNull();
      awaitCommitted(consumer, 1);
      assertThat(refusals.get()).as("the first dead letter was refused").isNegative();
      assertThat(sent(producer, Topics.DEAD_LETTERS, DeadLetter.getDefaultInstance()))
          .extracting(DeadLetter::getSourceOffset).containsExactly(0L);
      assertThat(runner.alive()).isTrue();
    }
  }

  @Test
  void aCommitThatTimesOutIsTriedAgainAndTheLoopHandlesTheNextRequest() throws Exception {
    MockProducer<String, byte[]> producer = TestTrainers.producer();
    AtomicInteger failures = new AtomicInteger(1);
    SlowMockConsumer consumer = new SlowMockConsumer() {
      @Override
      public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (failures.getAndDecrement() > 0) {
          throw new TimeoutException("the broker is away");
        }
        super.commitSync(offsets);
      }
    };
    try (var runner = runner(consumer, producer, TestTrainers.config(Map.of()))) {
      runner.start();
      consumer.schedulePollTask(() -> {
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.addRecord(new ConsumerRecord<>(Topics.JOB_REQUESTS, 0, 0, "first", new byte[] {0x0a, (byte) 0xff}));
      });
      consumer.schedulePollTask(() -> { });
      consumer.schedulePollTask(() ->
          consumer.addRecord(new ConsumerRecord<>(Topics.JOB_REQUESTS, 0, 1, "second", new byte[] {0x0a, (byte) 0xff})));
      awaitCommitted(consumer, 2);

      assertThat(runner.alive()).as("the loop survives").isTrue();
      assertThat(sent(producer, Topics.DEAD_LETTERS, DeadLetter.getDefaultInstance()))
          .extracting(DeadLetter::getSourceOffset).containsExactly(0L, 1L);
    }
  }

  @Test
  void aPollThatFailsEveryTimeIsTriedAgainAfterGrowingPausesNotInATightLoop() throws Exception {
    MockProducer<String, byte[]> producer = TestTrainers.producer();
    AtomicInteger polls = new AtomicInteger();
    AtomicBoolean refused = new AtomicBoolean(true);
    SlowMockConsumer consumer = new SlowMockConsumer() {
      @Override
      public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
        polls.incrementAndGet();
        if (refused.get()) {
          throw new TopicAuthorizationException(Set.of(Topics.JOB_REQUESTS)); // fails at once
        }
        return super.poll(timeout);
      }
    };
    var runner = runner(consumer, producer, TestTrainers.config(Map.of()));
    try {
      runner.start();
      Thread.sleep(1000);
      // Pauses of 50, 100, 200, 400 ms... after the polls: five in the first second, not thousands.
      assertThat(polls.get()).isBetween(2, 8);

      // The broker lets the consumer in again: the loop goes on.
      consumer.schedulePollTask(() -> {
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.addRecord(new ConsumerRecord<>(Topics.JOB_REQUESTS, 0, 0, "after", new byte[] {0x0a, (byte) 0xff}));
      });
      refused.set(false);
      awaitCommitted(consumer, 1);
      assertThat(runner.alive()).isTrue();
    } finally {
      long t0 = System.nanoTime();
      runner.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("close ends a pause").isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aJobWhoseLockIsHeldStaysUncommittedAndIsResumedOnceTheLockIsReleased() throws Exception {
    MockProducer<String, byte[]> producer = TestTrainers.producer();
    Path job = root.resolve("jobs").resolve("locked-1");
    // A replica that died mid-job left the job running, and its lock is not released yet (an NFS
    // lease outlives the group's session timeout): here the test holds it.
    JobState.write(job, "running", "crashed-replica", "");
    JobLock stale = JobLock.tryAcquire(job).orElseThrow();
    SlowMockConsumer consumer = new SlowMockConsumer();
    try (var runner = runner(consumer, producer, runnableConfig(), Duration.ofMillis(300))) {
      runner.start();
      consumer.schedulePollTask(() -> {
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.addRecord(request(0, "locked-1", TINY_JOB));
      });
      Thread.sleep(1500); // five tries

      assertThat(consumer.committed(Set.of(PARTITION))).as("nothing committed while the lock is held").isEmpty();
      assertThat(JobState.status(job)).contains("running");

      stale.close();
      awaitCommitted(consumer, 1);
      // This replica ran the job (its run fails at once here: the test's settings have no hub).
      assertThat(JobState.status(job)).contains("failed");
      assertThat(Files.readString(job.resolve("state.json"))).contains(TestTrainers.INSTANCE);
    } finally {
      stale.close();
    }
  }

  @Test
  void noRequestIsStartedBeforeTheCancelsPublishedWhileTheReplicaWasDownHaveBeenRead() throws Exception {
    MockProducer<String, byte[]> producer = TestTrainers.producer();
    LocalCancellations control = new LocalCancellations();
    control.caughtUp = false;
    SlowMockConsumer consumer = new SlowMockConsumer();
    try (var runner = runner(consumer, producer, runnableConfig(), JobRequestRunner.RETRY_START, control)) {
      runner.start();
      consumer.schedulePollTask(() -> {
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.addRecord(request(0, "waits-1", TINY_JOB));
      });
      Thread.sleep(500);
      assertThat(JobState.status(root.resolve("jobs").resolve("waits-1"))).as("not accepted yet").isEmpty();
      assertThat(consumer.committed(Set.of(PARTITION))).isEmpty();

      control.caughtUp = true;
      awaitCommitted(consumer, 1);
      // Run (and failed at once: the test's settings have no hub); a cancel read by now would
      // have been seen before its first step.
      assertThat(JobState.status(root.resolve("jobs").resolve("waits-1"))).contains("failed");
    }
  }

  @Test
  void aRequestThatCannotBeStartedIsReportedOnceAsAWarningAndRunsOnceTheStoreIsWritable() throws Exception {
    MockProducer<String, byte[]> producer = TestTrainers.producer();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // The artifact store cannot be written: its jobs directory is a file (root ignores permissions).
    Files.writeString(root.resolve("jobs"), "not a directory");
    SlowMockConsumer consumer = new SlowMockConsumer();
    try (var runner = runner(consumer, producer, runnableConfig(), Duration.ofMillis(200), new LocalCancellations(),
        new TrainerMetrics(registry))) {
      runner.start();
      consumer.schedulePollTask(() -> {
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.addRecord(request(0, "no-store-1", TINY_JOB));
      });
      Thread.sleep(1200); // about six tries

      assertThat(consumer.committed(Set.of(PARTITION))).as("kept").isEmpty();
      double tries = registry.get("retort.trainer.requests.retried").tag("reason", "start-failed").counter().count();
      assertThat(tries).isGreaterThanOrEqualTo(3);
      List<JobEvent> events = sent(producer, Topics.JOB_EVENTS, JobEvent.getDefaultInstance());
      assertThat(events).as("one warning, not one per try").hasSize(1);
      JobEvent.Failed warning = events.get(0).getFailed();
      assertThat(warning.getJobContinues()).isTrue();
      assertThat(warning.getReason()).startsWith("the trainer cannot start the job yet: ")
          .contains("tries again every 0.2 s").contains("artifact store (" + root);

      // The store is fixed: the request is tried again and runs.
      Files.delete(root.resolve("jobs"));
      awaitCommitted(consumer, 1);
      assertThat(JobState.status(root.resolve("jobs").resolve("no-store-1"))).contains("failed"); // no hub here
      assertThat(sent(producer, Topics.JOB_EVENTS, JobEvent.getDefaultInstance()))
          .extracting(e -> e.getKindCase().name()).containsExactly("FAILED", "ACCEPTED", "FAILED");
    }
  }

  /** Settings under which a plain job validates; its run fails where it starts (no hub). */
  private static TrainerConfig runnableConfig() {
    TrainerConfig.Limits limits = new TrainerConfig.Limits() {
      @Override public int maxSequenceLength() {
        return 512;
      }

      @Override public int maxBatchSize() {
        return 256;
      }

      @Override public long maxParameters() {
        return 400_000_000L;
      }

      @Override public int maxEpochs() {
        return 100;
      }
    };
    return TestTrainers.config(Map.<String, Supplier<Object>>of("limits", () -> limits, "hub", () -> {
      throw new IllegalStateException("no hub in this test");
    }));
  }

  private JobRequestRunner runner(MockConsumer<String, byte[]> consumer, MockProducer<String, byte[]> producer,
      TrainerConfig config) {
    return runner(consumer, producer, config, JobRequestRunner.RETRY_START);
  }

  private JobRequestRunner runner(MockConsumer<String, byte[]> consumer, MockProducer<String, byte[]> producer,
      TrainerConfig config, Duration retryStart) {
    return runner(consumer, producer, config, retryStart, new LocalCancellations());
  }

  private JobRequestRunner runner(MockConsumer<String, byte[]> consumer, MockProducer<String, byte[]> producer,
      TrainerConfig config, Duration retryStart, Cancellations control) {
    return runner(consumer, producer, config, retryStart, control, TestTrainers.metrics());
  }

  private JobRequestRunner runner(MockConsumer<String, byte[]> consumer, MockProducer<String, byte[]> producer,
      TrainerConfig config, Duration retryStart, Cancellations control, TrainerMetrics metrics) {
    return new JobRequestRunner(consumer, TestTrainers.executor(config, root, producer), TestTrainers.events(producer),
        DeadLetters.builder(producer).setService("retort-trainer").build(), control,
        metrics, Duration.ofMillis(50), retryStart);
  }

  private static ConsumerRecord<String, byte[]> request(long offset, String id, String job) {
    String json = "{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":\"" + id + "\",\"job\":" + job + "}";
    return new ConsumerRecord<>(Topics.JOB_REQUESTS, 0, offset, id, json.getBytes(StandardCharsets.UTF_8));
  }

  static void awaitCommitted(MockConsumer<String, byte[]> consumer, long offset) throws InterruptedException {
    long end = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < end) {
      OffsetAndMetadata at = consumer.committed(Set.of(PARTITION)).get(PARTITION);
      if (at != null && at.offset() >= offset) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("offset " + offset + " not committed within 30 s");
  }

  static <T extends com.google.protobuf.Message> List<T> sent(MockProducer<String, byte[]> producer, String topic, T type) {
    ProtoSerde<T> serde = ProtoSerde.of(type);
    return producer.history().stream().filter(r -> r.topic().equals(topic)).map(ProducerRecord::value)
        .map(serde::parse).toList();
  }

  /** A mock consumer whose empty polls wait a little, as a real one does, so the loop does not spin. */
  static class SlowMockConsumer extends MockConsumer<String, byte[]> {
    SlowMockConsumer() {
      super("earliest");
    }

    @Override
    public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
      ConsumerRecords<String, byte[]> records = super.poll(timeout);
      if (records.isEmpty()) {
        try {
          wait(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return records;
    }
  }

  /** Cancellations kept in memory. */
  static final class LocalCancellations implements Cancellations {
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    volatile boolean caughtUp = true;

    @Override
    public boolean caughtUp() {
      return caughtUp;
    }

    @Override
    public boolean isCancelled(String jobId) {
      return cancelled.contains(jobId);
    }

    @Override
    public void clear(String jobId) {
      cancelled.remove(jobId);
    }
  }
}

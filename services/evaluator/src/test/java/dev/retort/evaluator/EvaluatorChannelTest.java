package dev.retort.evaluator;

import static dev.retort.service.testing.ChannelChecks.awaitTrue;
import static dev.retort.service.testing.ChannelChecks.tracked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.run.JobResult;
import dev.retort.core.run.ModelScore;
import dev.retort.evaluator.evaluation.EvaluatorState;
import dev.retort.evaluator.evaluation.Scored;
import dev.retort.evaluator.evaluation.Verdict;
import dev.retort.evaluator.messaging.CheckpointConsumer;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.JobEvent;
import dev.retort.service.testing.FakeKafkaClients;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** The checkpoint channel's wiring, without a broker. */
@QuarkusTest
@TestProfile(InMemoryChannels.class)
class EvaluatorChannelTest {
  @Inject
  @Any
  InMemoryConnector connector;

  @Inject
  KafkaClients clients;

  @Inject
  MeterRegistry registry;

  @Inject
  dev.retort.service.health.HandlerWatch watch;

  @Test
  void announcementsThatCannotBeEvaluatedAreDeadLetteredAndTheJobToldWhy() throws Exception {
    InMemorySource<ConsumerRecord<String, byte[]>> source =
        connector.source(CheckpointConsumer.CHANNEL);
    source.send(new ConsumerRecord<>(Topics.CHECKPOINTS, 2, 5, "j", new byte[] {1, 2}));
    source.send(new ConsumerRecord<>(Topics.CHECKPOINTS, 2, 6, "j", TinyJobs.checkpoint("j",
        "student", 4, "../outside", false, TinyJobs.job("data/none", "checkpoint:x"))
        .toByteArray()));

    // The other tests' records are sent on the same fake producer: pick this job's.
    List<JobEvent> events = awaitSent(Topics.JOB_EVENTS,
        ProtoSerde.of(JobEvent.getDefaultInstance()), e -> e.getJobId().equals("j"),
        Duration.ofSeconds(60));
    assertThat(events).as("the job is told").isNotEmpty();
    JobEvent failed = events.get(0);
    List<DeadLetter> dead = awaitSent(Topics.DEAD_LETTERS,
        ProtoSerde.of(DeadLetter.getDefaultInstance()), l -> l.getSourcePartition() == 2,
        Duration.ZERO);
    assertThat(dead).extracting(DeadLetter::getSourceOffset).containsExactly(5L, 6L);
    assertThat(dead.get(1).getReason()).contains("'..'");
    assertThat(failed.getJobId()).isEqualTo("j");
    assertThat(failed.getFailed().getReason()).contains("checkpoint student step 4")
        .contains("'..'");
  }

  @Test
  void aRedeliveredCheckpointWhoseResultsWereNotPublishedIsPublishedAgain() throws Exception {
    // The replica saved the student's final verdict, then stopped before publishing it.
    String job = "judged-unpublished";
    String path = "jobs/" + job + "/student/snapshots/step-000000030";
    Path jobDir = InMemoryChannels.ROOT.resolve("jobs").resolve(job);
    EvaluatorState state = EvaluatorState.load(jobDir, job);
    EvaluatorState.RoleState student = state.role("student");
    student.record(30, true, path, 0.7);
    ModelScore finalScore = new ModelScore("student", "acc", Map.of("acc", 0.7),
        Map.of("acc", 0.65), 99, 1.5);
    ModelScore teacher = new ModelScore("teacher", "acc", Map.of("acc", 0.8),
        Map.of("acc", 0.75), 1234, 3.5);
    student.awaitPublishing(30, true, new Verdict(
        new Scored("acc", 0.7, Map.of("acc", 0.7), Map.of(), 99, 1.5), true, 0.7, finalScore,
        new Verdict.Summary(30,
            new JobResult(job, "bert-emd", teacher, finalScore, jobDir, null), ""),
        false, false));
    state.save(jobDir);

    connector.<ConsumerRecord<String, byte[]>>source(CheckpointConsumer.CHANNEL).send(
        new ConsumerRecord<>(Topics.CHECKPOINTS, 0, 40, job, TinyJobs.checkpoint(job, "student",
            30, path, true, TinyJobs.job("data/sample", "checkpoint:x")).toByteArray()));

    ProtoSerde<JobEvent> events = ProtoSerde.of(JobEvent.getDefaultInstance());
    List<JobEvent> finished = awaitSent(Topics.JOB_EVENTS, events,
        e -> e.getJobId().equals(job) && e.hasFinished(), Duration.ofSeconds(30));
    assertThat(finished).as("the finished event is sent on redelivery").hasSize(1);
    List<EvaluationResult> results = awaitSent(Topics.EVAL_RESULTS,
        ProtoSerde.of(EvaluationResult.getDefaultInstance()), r -> r.getJobId().equals(job),
        Duration.ZERO);
    assertThat(results).anyMatch(EvaluationResult::hasSummary)
        .anyMatch(r -> r.getSplit().equals("dev") && r.getStep() == 30);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (EvaluatorState.load(jobDir, job).role("student").unpublished(30, true) != null
        && System.nanoTime() < deadline) {
      Thread.sleep(50); // marked published just after the publish
    }
    assertThat(EvaluatorState.load(jobDir, job).role("student").unpublished(30, true))
        .as("published: a further redelivery is a duplicate").isNull();
  }

  @Test
  void anErrorWhileEvaluatingIsDeadLetteredWithItsReasonNotLost() throws Exception {
    String job = OutOfMemoryJudge.JOB;
    connector.<ConsumerRecord<String, byte[]>>source(CheckpointConsumer.CHANNEL).send(
        new ConsumerRecord<>(Topics.CHECKPOINTS, 1, 77, job, TinyJobs.checkpoint(job, "student",
            10, "jobs/" + job + "/student/snapshots/step-000000010", false,
            TinyJobs.job("data/sample", "checkpoint:x")).toByteArray()));

    List<DeadLetter> dead = awaitSent(Topics.DEAD_LETTERS,
        ProtoSerde.of(DeadLetter.getDefaultInstance()), l -> l.getSourceOffset() == 77,
        Duration.ofSeconds(30));
    assertThat(dead).singleElement().satisfies(l -> assertThat(l.getReason())
        .contains("OutOfMemoryError").contains("send the record again"));
    List<JobEvent> failed = awaitSent(Topics.JOB_EVENTS,
        ProtoSerde.of(JobEvent.getDefaultInstance()), e -> e.getJobId().equals(job),
        Duration.ofSeconds(10));
    assertThat(failed).singleElement().satisfies(e -> assertThat(e.getFailed().getReason())
        .contains("checkpoint student step 10").contains("OutOfMemoryError"));
  }

  @Test
  void anErrorWhileDecodingAnAnnouncementIsDeadLetteredWithItsReasonAndTheChannelGoesOn()
      throws Exception {
    // The first read of the value fails, as decoding a huge record can run out of memory.
    ConsumerRecord<String, byte[]> poison = new ConsumerRecord<>(Topics.CHECKPOINTS, 3, 100,
        "poisoned", new byte[] {1}) {
      private boolean thrown;

      @Override
      public byte[] value() {
        if (!thrown) {
          thrown = true;
          throw new OutOfMemoryError("Java heap space (thrown by the test)");
        }
        return super.value();
      }
    };
    AtomicBoolean acked = new AtomicBoolean();
    source().send(tracked(poison, acked));

    List<DeadLetter> dead = awaitSent(Topics.DEAD_LETTERS,
        ProtoSerde.of(DeadLetter.getDefaultInstance()), l -> at(l, 3, 100),
        Duration.ofSeconds(30));
    assertThat(dead).as("dead-lettered, not lost").singleElement()
        .satisfies(l -> assertThat(l.getReason()).contains("OutOfMemoryError"));
    awaitTrue(acked);
  }

  @Test
  void anAnnouncementWhoseDeadLetterTheBrokerDoesNotTakeIsLeftUncommittedAndDeliveredAgain()
      throws Exception {
    double uncommitted = registry.counter("retort.evaluator.uncommitted").count();
    fake().failSendsTo(Topics.DEAD_LETTERS,
        new NotEnoughReplicasException("1 of 3 in sync (test)"));
    ConsumerRecord<String, byte[]> garbage =
        new ConsumerRecord<>(Topics.CHECKPOINTS, 3, 110, "j", new byte[] {7, 7, 7});
    AtomicBoolean acked = new AtomicBoolean();
    try {
      source().send(tracked(garbage, acked));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (registry.counter("retort.evaluator.uncommitted").count() == uncommitted
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(registry.counter("retort.evaluator.uncommitted").count())
          .isEqualTo(uncommitted + 1);
      assertThat(acked).as("no dead letter, no commit: it must come again").isFalse();
    } finally {
      fake().healSends();
    }

    // Delivered again (after a restart or a rebalance): now dead-lettered, and committed.
    source().send(tracked(garbage, acked));
    assertThat(awaitSent(Topics.DEAD_LETTERS, ProtoSerde.of(DeadLetter.getDefaultInstance()),
        l -> at(l, 3, 110), Duration.ofSeconds(30))).hasSize(1);
    awaitTrue(acked);
    assertThat(watch.uncommittedNanos()).as("no longer waits to be delivered again").isZero();
  }

  @Test
  void resultsTheBrokerDoesNotAcknowledgeInTimeArePublishedAgainNotDeadLettered()
      throws Exception {
    String job = "slow-results";
    String path = savedFinalVerdict(job);
    double retries = registry.counter("retort.evaluator.retries").count();
    fake().failSendsTo(Topics.EVAL_RESULTS, new TimeoutException(
        "Expiring 1 record(s) for retort.eval.results.v1-0: 120000 ms has passed (test)"));
    AtomicBoolean acked = new AtomicBoolean();
    try {
      source().send(tracked(new ConsumerRecord<>(Topics.CHECKPOINTS, 3, 120, job,
          TinyJobs.checkpoint(job, "student", 30, path, true,
              TinyJobs.job("data/sample", "checkpoint:x")).toByteArray()), acked));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (registry.counter("retort.evaluator.retries").count() == retries
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      fake().healSends(); // the broker recovers before the retry
    }

    ProtoSerde<JobEvent> events = ProtoSerde.of(JobEvent.getDefaultInstance());
    assertThat(awaitSent(Topics.JOB_EVENTS, events,
        e -> e.getJobId().equals(job) && e.hasFinished(), Duration.ofSeconds(30)))
        .as("the saved verdict is published on the retry").hasSize(1);
    assertThat(registry.counter("retort.evaluator.retries").count()).isGreaterThan(retries);
    assertThat(awaitSent(Topics.JOB_EVENTS, events,
        e -> e.getJobId().equals(job) && e.hasFailed(), Duration.ZERO))
        .as("a timeout is not the checkpoint's fault").isEmpty();
    assertThat(awaitSent(Topics.DEAD_LETTERS, ProtoSerde.of(DeadLetter.getDefaultInstance()),
        l -> at(l, 3, 120), Duration.ZERO)).isEmpty();
    awaitTrue(acked);
  }

  @Test
  void aFinalEvaluationReportsProgressToLivenessAfterEveryBatch() throws Exception {
    String job = "long-final";
    String path = "jobs/" + job + "/student/snapshots/step-000000010";
    TinyJobs.writeModel(InMemoryChannels.ROOT.resolve(path), 10);
    CountingWatch counting = (CountingWatch) ((ClientProxy) watch).arc_contextualInstance();
    int before = counting.beats();

    source().send(Message.of(new ConsumerRecord<>(Topics.CHECKPOINTS, 3, 130, job,
        TinyJobs.checkpoint(job, "student", 10, path, true,
            TinyJobs.job("data/sample", "checkpoint:x")).toByteArray())));

    assertThat(awaitSent(Topics.JOB_EVENTS, ProtoSerde.of(JobEvent.getDefaultInstance()),
        e -> e.getJobId().equals(job) && e.hasFinished(), Duration.ofSeconds(120)))
        .as("finished").hasSize(1);
    // The checkpoint and then the best student are scored on the 24 dev examples (and the best
    // on test): every batch tells the liveness check that the evaluation is alive, so a final
    // evaluation longer than wedged-after in all is not taken for a wedged one.
    int devBatches = 24 / InMemoryChannels.BATCH_SIZE;
    assertThat(counting.beats() - before).isGreaterThanOrEqualTo(2 * devBatches);
  }

  /** Saves a student's final verdict of step 30 as a replica that stopped before publishing. */
  private static String savedFinalVerdict(String job) throws java.io.IOException {
    String path = "jobs/" + job + "/student/snapshots/step-000000030";
    Path jobDir = InMemoryChannels.ROOT.resolve("jobs").resolve(job);
    EvaluatorState state = EvaluatorState.load(jobDir, job);
    EvaluatorState.RoleState student = state.role("student");
    student.record(30, true, path, 0.7);
    ModelScore finalScore = new ModelScore("student", "acc", Map.of("acc", 0.7),
        Map.of("acc", 0.65), 99, 1.5);
    ModelScore teacher = new ModelScore("teacher", "acc", Map.of("acc", 0.8),
        Map.of("acc", 0.75), 1234, 3.5);
    student.awaitPublishing(30, true, new Verdict(
        new Scored("acc", 0.7, Map.of("acc", 0.7), Map.of(), 99, 1.5), true, 0.7, finalScore,
        new Verdict.Summary(30,
            new JobResult(job, "bert-emd", teacher, finalScore, jobDir, null), ""),
        false, false));
    state.save(jobDir);
    return path;
  }

  private InMemorySource<Message<ConsumerRecord<String, byte[]>>> source() {
    return connector.source(CheckpointConsumer.CHANNEL);
  }

  private FakeKafkaClients fake() {
    return (FakeKafkaClients) ((ClientProxy) clients).arc_contextualInstance();
  }

  private static boolean at(DeadLetter l, int partition, long offset) {
    return l.getSourcePartition() == partition && l.getSourceOffset() == offset;
  }

  private <T extends com.google.protobuf.Message> List<T> awaitSent(String topic,
      ProtoSerde<T> serde, java.util.function.Predicate<T> match, Duration wait)
      throws InterruptedException {
    FakeKafkaClients fake = (FakeKafkaClients) ((ClientProxy) clients).arc_contextualInstance();
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<T> found = fake.sent().stream().filter(r -> r.topic().equals(topic))
          .map(r -> serde.parse(r.value())).filter(match).toList();
      if (!found.isEmpty() || System.nanoTime() >= deadline) {
        return found;
      }
      Thread.sleep(50);
    }
  }
}

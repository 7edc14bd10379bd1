package dev.retort.evaluator;

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
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

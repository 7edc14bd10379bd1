package dev.retort.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.run.EncodedTask;
import dev.retort.core.run.Evaluator;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelDirectory;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.messaging.testing.Http;
import dev.retort.messaging.testing.Records;
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.JobEvent;
import dev.retort.service.testing.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.assertj.core.data.Offset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The evaluator against a real broker: a tiny sample job from teacher to finished. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvaluatorServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String JOB = "eval-job";
  /** The summary of {@link #studentCheckpointsKeepTheBestAndTheFinalOneFinishesTheJob}. */
  private static EvaluationResult summaryOfTheJob;
  private static final ProtoSerde<EvaluationResult> RESULTS =
      ProtoSerde.of(EvaluationResult.getDefaultInstance());
  private static final ProtoSerde<JobEvent> EVENTS = ProtoSerde.of(JobEvent.getDefaultInstance());
  private static final ProtoSerde<DeadLetter> LETTERS =
      ProtoSerde.of(DeadLetter.getDefaultInstance());
  private static final String TEACHER = "jobs/" + JOB + "/teacher/model";
  private static final Struct JOB_STRUCT = TinyJobs.job("data/sample", "checkpoint:" + TEACHER);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "retort.artifacts.root")
  String root;

  @TestHTTPResource("/q/metrics")
  URL metrics;

  @TestHTTPResource("/q/health/ready")
  URL ready;

  @Test
  @Order(1)
  void finalTeacherIsScoredOnDevAndTestExactlyAsInProcess() throws Exception {
    TinyJobs.writeModel(Path.of(root, TEACHER), 1);
    send(TinyJobs.checkpoint(JOB, "teacher", 0, TEACHER, true, JOB_STRUCT));
    List<EvaluationResult> results = awaitResults(rs -> rs.stream()
        .filter(r -> r.getRole().equals("teacher")).count() == 2);
    EvaluationResult dev = find(results, "teacher", "dev");
    EvaluationResult test = find(results, "teacher", "test");
    assertThat(dev.getPrimaryMetric()).isEqualTo("acc");
    assertThat(dev.getIsBest()).isTrue();
    assertThat(dev.getParameters()).isPositive();
    assertThat(dev.getLatencyMs()).isPositive();
    assertThat(test.getMetricsMap()).containsKey("acc");

    Torch.noGradOnThisThread();
    ConfigValues job = new JobParser(JobSchema.root())
        .parse(JsonFormat.printer().print(JOB_STRUCT), "test");
    Path artifacts = Path.of(root);
    TaskData task = new TaskResolver(new PathPolicy(artifacts, List.of(artifacts),
        List.of(artifacts))).resolve(job);
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel teacher = ModelDirectory.read(Path.of(root, TEACHER), m);
      EncodedTask enc = EncodedTask.of(job, teacher.tokenizer(), List.of("default"));
      Map<String, Double> expected = new Evaluator(task.metric(), 64, enc.buckets())
          .evaluate(teacher.model(), enc.encode(task.dev()), m).byKey();
      assertThat(dev.getMetricsMap()).isEqualTo(expected);
    }
  }

  @Test
  @Order(2)
  void studentCheckpointsKeepTheBestAndTheFinalOneFinishesTheJob() throws Exception {
    for (int step = 10; step <= 30; step += 10) {
      String path = snapshot(step);
      TinyJobs.writeModel(Path.of(root, path), step);
      send(TinyJobs.checkpoint(JOB, "student", step, path, step == 30, JOB_STRUCT));
    }
    List<EvaluationResult> results =
        awaitResults(rs -> rs.stream().anyMatch(EvaluationResult::hasSummary));
    List<EvaluationResult> students = results.stream()
        .filter(r -> r.getRole().equals("student") && !r.hasSummary()).toList();
    assertThat(students).extracting(EvaluationResult::getStep).containsExactly(10L, 20L, 30L);
    double best = Double.NEGATIVE_INFINITY;
    long bestStep = -1;
    for (EvaluationResult r : students) {
      boolean better = r.getPrimaryValue() > best;
      assertThat(r.getIsBest()).as("step %d", r.getStep()).isEqualTo(better);
      if (better) {
        best = r.getPrimaryValue();
        bestStep = r.getStep();
      }
      assertThat(r.getBestValue()).isEqualTo(best);
      assertThat(r.getLatencyMs()).as("no latency measured under the training's load, step %d", r.getStep())
          .isNaN();
    }
    Path jobDir = Path.of(root, "jobs", JOB);
    assertThat(Files.readAllBytes(jobDir.resolve("student/best/model.safetensors")))
        .as("student/best holds the best snapshot")
        .isEqualTo(Files.readAllBytes(Path.of(root, snapshot(bestStep), "model.safetensors")));
    for (long step = 10; step <= 30; step += 10) {
      assertThat(Files.exists(Path.of(root, snapshot(step))))
          .as("snapshot %d kept only if best or newest", step)
          .isEqualTo(step == bestStep || step == 30);
    }

    EvaluationResult summary = results.stream().filter(EvaluationResult::hasSummary).findFirst()
        .orElseThrow();
    EvaluationResult teacherTest = find(results, "teacher", "test");
    assertThat(summary.getStep()).isEqualTo(bestStep);
    assertThat(summary.getSplit()).isEqualTo("test");
    assertThat(summary.getSummary().getMetric()).isEqualTo("acc");
    assertThat(summary.getSummary().getTeacherValue())
        .isEqualTo(teacherTest.getMetricsOrThrow("acc"));
    assertThat(summary.getSummary().getStudentValue()).isEqualTo(summary.getPrimaryValue());
    assertThat(summary.getSummary().getRetained()).isCloseTo(
        summary.getSummary().getStudentValue() / summary.getSummary().getTeacherValue(),
        Offset.offset(1e-12));
    assertThat(summary.getSummary().getSpeedup()).isPositive();
    // Both latencies of the speed-up are measured together at the job's end, not taken from the
    // teacher's scoring and the student's first checkpoint (each measured under other load).
    assertThat(summary.getSummary().getTeacherLatencyMs())
        .isNotEqualTo(teacherTest.getLatencyMs());
    assertThat(summary.getSummary().getStudentLatencyMs()).isPositive().isFinite();
    assertThat(summary.getLatencyMs()).isEqualTo(summary.getSummary().getStudentLatencyMs());
    summaryOfTheJob = summary;
    assertThat(summary.getSummary().getSpeedup()).isCloseTo(
        summary.getSummary().getTeacherLatencyMs() / summary.getSummary().getStudentLatencyMs(),
        Offset.offset(1e-9));

    JobEvent finished = awaitEvent(e -> e.hasFinished());
    assertThat(finished.getFinished().getExportPath()).isEqualTo("jobs/" + JOB + "/export");
    assertThat(finished.getSource()).as("events name the replica, as the trainer's do").isEqualTo("test");
    assertThat(finished.getFinished().getSummary()).isEqualTo(summary.getSummary());
    assertThat(ModelDirectory.isModelDirectory(jobDir.resolve("export"))).isTrue();
    assertThat(Files.readString(jobDir.resolve("state.json"))).contains("\"finished\"");
    assertThat(jobDir.resolve("result.json")).exists();
    assertThat(Files.readString(jobDir.resolve("evaluator.json"))).contains("\"finished\" : true");
  }

  @Test
  @Order(3)
  void malformedAnnouncementIsDeadLetteredAndTheServiceStaysReady() throws Exception {
    RecordMetadata sent = Records.send(bootstrap, Topics.CHECKPOINTS, JOB, new byte[] {7, 7});
    List<ConsumerRecord<String, byte[]>> read = Records.readUntil(bootstrap, Topics.DEAD_LETTERS,
        rs -> rs.stream().anyMatch(r -> LETTERS.parse(r.value()).getSourceOffset()
            == sent.offset() && LETTERS.parse(r.value()).getSourcePartition() == sent.partition()),
        WAIT);
    assertThat(read).isNotEmpty();
    assertThat(LETTERS.parse(read.get(read.size() - 1).value()).getReason())
        .contains("retort.v1.CheckpointReady");
    assertThat(Http.get(ready.toString()).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void metricsExposeTheDocumentedNames() {
    String body = Http.get(metrics.toString()).body();
    assertThat(Http.sample(body, "retort_evaluator_metric", "job=" + JOB, "role=student",
        "split=dev", "metric=acc")).isBetween(0.0, 1.0);
    assertThat(Http.sample(body, "retort_evaluator_metric", "job=" + JOB, "role=teacher",
        "split=test", "metric=acc")).isBetween(0.0, 1.0);
    assertThat(Http.sample(body, "retort_evaluator_parameters", "job=" + JOB, "role=teacher"))
        .isPositive();
    assertThat(Http.sample(body, "retort_evaluator_latency", "job=" + JOB, "role=student"))
        .as("the student's latency of the summary").isEqualTo(summaryOfTheJob.getSummary().getStudentLatencyMs());
    assertThat(Http.sample(body, "retort_evaluator_latency", "job=" + JOB, "role=teacher"))
        .as("the teacher's, measured beside it").isEqualTo(summaryOfTheJob.getSummary().getTeacherLatencyMs());
    assertThat(Http.sample(body, "retort_evaluator_best", "job=" + JOB, "role=student"))
        .isBetween(0.0, 1.0);
    assertThat(Http.sample(body, "retort_evaluator_evaluations_total", "role=student"))
        .isEqualTo(3);
    assertThat(Http.sample(body, "retort_evaluator_evaluation_seconds_count", "role=teacher"))
        .isEqualTo(1);
    assertThat(Http.sample(body, "retort_evaluator_jobs_finished_total")).isEqualTo(1);
    assertThat(Http.sample(body, "retort_evaluator_rejected_total", "reason=undecodable"))
        .isEqualTo(1);
    assertThat(Http.sample(body, "retort_evaluator_deadletters_total")).isEqualTo(1);
    assertThat(body).contains("kafka_consumer_fetch_manager_records_lag_max")
        .contains("kafka_producer_record_send_total");
  }

  @Test
  @Order(5)
  void anIdenticalTeacherOfAnotherJobIsNotScoredAgain() throws Exception {
    String copyJob = "eval-job-copy";
    String copy = "jobs/" + copyJob + "/teacher/model";
    copyTree(Path.of(root, TEACHER), Path.of(root, copy));
    send(TinyJobs.checkpoint(copyJob, "teacher", 0, copy, true,
        TinyJobs.job("data/sample", "checkpoint:" + copy)));
    String otherJob = "eval-job-other";
    String other = "jobs/" + otherJob + "/teacher/model";
    TinyJobs.writeModel(Path.of(root, other), 2);
    send(TinyJobs.checkpoint(otherJob, "teacher", 0, other, true,
        TinyJobs.job("data/sample", "checkpoint:" + other)));
    List<EvaluationResult> results = awaitResults(rs -> rs.stream()
        .filter(r -> r.getRole().equals("teacher")).count() == 6);

    EvaluationResult first = teacherResult(results, JOB, "dev");
    EvaluationResult reused = teacherResult(results, copyJob, "dev");
    assertThat(reused.getMetricsMap()).isEqualTo(first.getMetricsMap());
    assertThat(reused.getLatencyMs()).isEqualTo(first.getLatencyMs());
    assertThat(teacherResult(results, copyJob, "test").getMetricsMap())
        .isEqualTo(teacherResult(results, JOB, "test").getMetricsMap());
    assertThat(teacherResult(results, otherJob, "dev").getLatencyMs())
        .isNotEqualTo(first.getLatencyMs()); // measured again: a different teacher
    String body = Http.get(metrics.toString()).body();
    assertThat(Http.sample(body, "retort_evaluator_teacher_scores_reused_total")).isEqualTo(1);
    assertThat(Files.list(Path.of(root, "cache", "teacher-scores"))).hasSize(2);
  }

  @Test
  @Order(6)
  void aFinalTeacherWhoseDirectoryIsMissingIsDeadLetteredWithThePath() throws Exception {
    String missing = "jobs/eval-job-missing/teacher/model";
    CheckpointReady c = TinyJobs.checkpoint("eval-job-missing", "teacher", 0, missing, true,
        TinyJobs.job("data/sample", "checkpoint:" + missing));
    RecordMetadata sent = Records.send(bootstrap, Topics.CHECKPOINTS, c.getJobId(),
        c.toByteArray());
    List<ConsumerRecord<String, byte[]>> read = Records.readUntil(bootstrap, Topics.DEAD_LETTERS,
        rs -> rs.stream().anyMatch(r -> LETTERS.parse(r.value()).getSourceOffset()
            == sent.offset() && LETTERS.parse(r.value()).getSourcePartition() == sent.partition()),
        WAIT);
    DeadLetter letter = read.stream().map(r -> LETTERS.parse(r.value()))
        .filter(l -> l.getSourceOffset() == sent.offset()).findFirst().orElseThrow();
    assertThat(letter.getReason()).contains("model directory does not exist")
        .contains("eval-job-missing");
  }

  @Test
  @Order(7)
  void aFinalAnnouncementOfASnapshotScoredBeforeFinishesWithoutScoringItAgain() throws Exception {
    String job = "eval-job-last";
    String teacher = "jobs/" + job + "/teacher/model";
    copyTree(Path.of(root, TEACHER), Path.of(root, teacher));
    Struct struct = TinyJobs.job("data/sample", "checkpoint:" + teacher);
    send(TinyJobs.checkpoint(job, "teacher", 0, teacher, true, struct));
    String last = "jobs/" + job + "/student/snapshots/step-000000010";
    TinyJobs.writeModel(Path.of(root, last), 10);
    // The last step is an evaluation point: announced as one, then again as the final checkpoint.
    send(TinyJobs.checkpoint(job, "student", 10, last, false, struct));
    EvaluationResult scored = awaitResults(rs -> rs.stream().anyMatch(r -> r.getJobId().equals(job)
        && r.getRole().equals("student"))).stream()
        .filter(r -> r.getJobId().equals(job) && r.getRole().equals("student")).findFirst()
        .orElseThrow();
    // Scoring it again would need its weights (the best copy in student/best stays).
    Files.delete(Path.of(root, last, "model.safetensors"));

    send(TinyJobs.checkpoint(job, "student", 10, last, true, struct));

    JobEvent finished = awaitEvent(e -> e.getJobId().equals(job) && e.hasFinished());
    assertThat(finished.getFinished().getSummary().getStudentValue()).isPositive();
    List<EvaluationResult> results = awaitResults(rs -> rs.stream()
        .anyMatch(r -> r.getJobId().equals(job) && r.hasSummary()));
    // Its dev scores are published once, not again for the final announcement.
    assertThat(results.stream().filter(r -> r.getJobId().equals(job)
        && r.getRole().equals("student") && !r.hasSummary())).containsExactly(scored);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  private static EvaluationResult teacherResult(List<EvaluationResult> rs, String job,
      String split) {
    return rs.stream().filter(r -> r.getJobId().equals(job) && r.getRole().equals("teacher")
        && r.getSplit().equals(split) && !r.hasSummary()).findFirst().orElseThrow();
  }

  private static String snapshot(long step) {
    return String.format("jobs/%s/student/snapshots/step-%09d", JOB, step);
  }

  private void send(CheckpointReady c) throws Exception {
    Records.send(bootstrap, Topics.CHECKPOINTS, c.getJobId(), c.toByteArray());
  }

  private List<EvaluationResult> awaitResults(Predicate<List<EvaluationResult>> done) {
    return Records.readUntil(bootstrap, Topics.EVAL_RESULTS,
        rs -> done.test(rs.stream().map(r -> RESULTS.parse(r.value())).toList()), WAIT)
        .stream().map(r -> RESULTS.parse(r.value())).toList();
  }

  private JobEvent awaitEvent(Predicate<JobEvent> match) {
    return Records.readUntil(bootstrap, Topics.JOB_EVENTS,
        rs -> rs.stream().anyMatch(r -> match.test(EVENTS.parse(r.value()))), WAIT)
        .stream().map(r -> EVENTS.parse(r.value())).filter(match).findFirst().orElseThrow();
  }

  private static EvaluationResult find(List<EvaluationResult> rs, String role, String split) {
    return rs.stream().filter(r -> r.getRole().equals(role) && r.getSplit().equals(split)
        && !r.hasSummary()).findFirst().orElseThrow();
  }
}

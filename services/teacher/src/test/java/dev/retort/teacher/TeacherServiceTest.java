package dev.retort.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.retort.core.distill.LocalTeacher;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.StateDicts;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelDirectory;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.weights.LoadOptions;
import dev.retort.messaging.ChunkFetcher;
import dev.retort.messaging.ChunkHeader;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Replay;
import dev.retort.messaging.TensorCodec;
import dev.retort.messaging.Topics;
import dev.retort.messaging.testing.Http;
import dev.retort.messaging.testing.Records;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.service.testing.KafkaResource;
import dev.retort.teacher.inference.CachedTeacher;
import dev.retort.teacher.inference.ModelKey;
import dev.retort.teacher.inference.TeacherLoader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The teacher service against a real broker. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeacherServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ProtoSerde<DeadLetter> LETTERS = ProtoSerde.of(DeadLetter.getDefaultInstance());

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
  void outputEqualsTheInProcessTeacherBitForBitAndADuplicateIsNotComputedAgain() throws Exception {
    Path dir = Path.of(root, "jobs", "job-1", "teacher", "model");
    TinyTeachers.write(dir);
    int[][][] batch = TinyTeachers.batch(1, 2, 16);
    TeacherRequest request = TinyTeachers.request("0123456789abcdef", 4242L,
        "checkpoint:jobs/job-1/teacher/model", batch, DType.DTYPE_FP32);
    String key = Topics.teacherKey("0123456789abcdef", 4242L);
    Records.send(bootstrap, Topics.TEACHER_REQUESTS, key, request.toByteArray());

    TeacherOutputLocation location = awaitIndexEntry(key);
    assertThat(location.getChunks()).as("16 KiB records force chunking").isGreaterThan(1);
    TeacherOutput output;
    try (ChunkFetcher fetcher = ChunkFetcher.create(bootstrap, "test-fetch", Map.of(), WAIT)) {
      Replay replay = fetcher.fetch(location);
      assertThat(replay.isFound()).as(replay.reason()).isTrue();
      output = ProtoSerde.of(TeacherOutput.getDefaultInstance()).parse(replay.value());
    }
    assertThat(output.getLength()).isEqualTo(16);
    assertThat(output.getHiddenCount()).isEqualTo(3);
    assertThat(output.getScoresCount()).isEqualTo(2);
    assertThat(output.getSelection().getHiddenLayersList()).containsExactly(0, 1, 2);

    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel reference = ModelDirectory.read(dir, m);
      TeacherSelection all = new TeacherSelection(new TreeSet<>(List.of(0, 1, 2)),
          new TreeSet<>(List.of(1, 2)), true);
      LocalTeacher local = new LocalTeacher(reference.model(), all, false);
      TeacherOutputs expected = local.select(local.forward(
          BertInput.of(m, batch[0], batch[1], batch[2]), m, 0));
      TensorCodec codec = TensorCodec.defaults();
      for (int i = 0; i < 3; i++) {
        assertThat(codec.decode("hidden", output.getHidden(i)))
            .as("hidden state %d", i).isEqualTo(StateDicts.toHost(expected.hidden(i)));
      }
      for (int l = 1; l <= 2; l++) {
        assertThat(codec.decode("scores", output.getScores(l - 1)))
            .as("scores of layer %d", l).isEqualTo(StateDicts.toHost(expected.scores(l)));
      }
      HostTensor logits = codec.decode("logits", output.getLogits());
      assertThat(logits).isEqualTo(StateDicts.toHost(expected.requireLogits()));
    }

    double skippedBefore = counter("retort_teacher_outputs_total", "source=skipped-duplicate");
    Records.send(bootstrap, Topics.TEACHER_REQUESTS, key, request.toByteArray());
    Http.await(metrics.toString(), body -> Http.sample(body, "retort_teacher_outputs_total",
        "source=skipped-duplicate") == skippedBefore + 1, WAIT);
    List<ConsumerRecord<String, byte[]>> index = Records.readAll(bootstrap, Topics.TEACHER_INDEX);
    assertThat(index.stream().filter(r -> key.equals(r.key()))).hasSize(1);
    List<ConsumerRecord<String, byte[]>> outputs =
        Records.readAll(bootstrap, Topics.TEACHER_OUTPUTS);
    long firstChunks = outputs.stream().filter(r -> key.equals(r.key()))
        .filter(r -> ChunkHeader.read(r.headers()).map(h -> h.index() == 1).orElse(true))
        .count();
    assertThat(firstChunks).as("messages published for the key").isEqualTo(1);
  }

  @Test
  @Order(2)
  void aModelReferenceIsLoadedWithAFreshHeadSeededByTheConfiguration() throws Exception {
    int[][][] batch = TinyTeachers.batch(3, 1, 8);
    TeacherRequest request = TinyTeachers.request("aaaabbbbccccdddd", 1L, "preset:tiny", batch,
        DType.DTYPE_FP32);
    String key = Topics.teacherKey("aaaabbbbccccdddd", 1L);
    Records.send(bootstrap, Topics.TEACHER_REQUESTS, key, request.toByteArray());
    TeacherOutputLocation location = awaitIndexEntry(key);
    TeacherOutput output;
    try (ChunkFetcher fetcher = ChunkFetcher.create(bootstrap, "test-fetch", Map.of(), WAIT)) {
      output = ProtoSerde.of(TeacherOutput.getDefaultInstance())
          .parse(fetcher.fetch(location).value());
    }
    Torch.noGradOnThisThread();
    try (CachedTeacher reference = new TeacherLoader(Path.of(root), LoadOptions.defaults(), 42)
        .load(new ModelKey("preset:tiny", TinyTeachers.LABELS, false, 0))) {
      TeacherSelection all = new TeacherSelection(new TreeSet<>(List.of(0, 1, 2)),
          new TreeSet<>(List.of(1, 2)), true);
      NDManager m = reference.manager();
      LocalTeacher local = new LocalTeacher(reference.model().model(), all, false);
      TeacherOutputs expected = local.select(local.forward(
          BertInput.of(m, batch[0], batch[1], batch[2]), m, 0));
      assertThat(TensorCodec.defaults().decode("hidden", output.getHidden(2)))
          .isEqualTo(StateDicts.toHost(expected.hidden(2)));
      assertThat(TensorCodec.defaults().decode("logits", output.getLogits()))
          .isEqualTo(StateDicts.toHost(expected.requireLogits()));
    }
  }

  @Test
  @Order(3)
  void malformedRequestIsDeadLetteredWithAReasonAndTheServiceStaysReady() throws Exception {
    RecordMetadata sent = Records.send(bootstrap, Topics.TEACHER_REQUESTS, "bad/1",
        TinyTeachers.garbage().toByteArray());
    DeadLetter letter = awaitDeadLetter(sent);
    assertThat(letter.getReason()).contains("does not parse as retort.v1.TeacherRequest");
    assertThat(letter.getService()).isEqualTo("teacher-test");
    assertThat(letter.getValue()).isEqualTo(TinyTeachers.garbage());
    assertThat(Http.get(ready.toString()).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void checkpointOutsideTheArtifactStoreIsDeadLettered() throws Exception {
    TeacherRequest request = TinyTeachers.request("fedcba9876543210", 1L,
        "checkpoint:../../etc", TinyTeachers.batch(2, 1, 8), DType.DTYPE_FP16);
    RecordMetadata sent = Records.send(bootstrap, Topics.TEACHER_REQUESTS,
        Topics.teacherKey("fedcba9876543210", 1L), request.toByteArray());
    DeadLetter letter = awaitDeadLetter(sent);
    assertThat(letter.getReason()).contains("teacher_ref 'checkpoint:../../etc'").contains("'..'");
    assertThat(Http.get(ready.toString()).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(5)
  void metricsExposeTheDocumentedNames() {
    String body = Http.get(metrics.toString()).body();
    assertThat(Http.sample(body, "retort_teacher_batches_total")).isEqualTo(5);
    assertThat(Http.sample(body, "retort_teacher_examples_total")).isEqualTo(3);
    assertThat(Http.sample(body, "retort_teacher_outputs_total", "source=computed")).isEqualTo(2);
    assertThat(Http.sample(body, "retort_teacher_published_bytes_total")).isPositive();
    assertThat(Http.sample(body, "retort_teacher_inference_seconds_count")).isEqualTo(2);
    assertThat(Http.sample(body, "retort_teacher_publish_seconds_count")).isEqualTo(2);
    assertThat(Http.sample(body, "retort_teacher_rejected_total", "reason=undecodable"))
        .isEqualTo(1);
    assertThat(Http.sample(body, "retort_teacher_rejected_total", "reason=model")).isEqualTo(1);
    assertThat(Http.sample(body, "retort_teacher_deadletters_total")).isEqualTo(2);
    assertThat(Http.sample(body, "retort_teacher_models_cached")).isEqualTo(2);
    assertThat(Http.sample(body, "retort_teacher_model_loads_total")).isEqualTo(2);
    assertThat(Http.sample(body, "retort_teacher_index_entries")).isEqualTo(2);
    assertThat(Http.sample(body, "retort_teacher_inflight")).isZero();
    // Each request of this test is alone in its partition's turn: none computed out of turn.
    assertThat(Http.sample(body, "retort_teacher_requests_out_of_turn_total")).isZero();
    assertThat(body).contains("kafka_consumer_fetch_manager_records_lag_max");
    assertThat(body).contains("kafka_producer_record_send_total");
  }

  private double counter(String name, String... labels) {
    double v = Http.sample(Http.get(metrics.toString()).body(), name, labels);
    return Double.isNaN(v) ? 0 : v;
  }

  private TeacherOutputLocation awaitIndexEntry(String key) throws Exception {
    ProtoSerde<TeacherOutputLocation> serde =
        ProtoSerde.of(TeacherOutputLocation.getDefaultInstance());
    List<ConsumerRecord<String, byte[]>> read = Records.readUntil(bootstrap, Topics.TEACHER_INDEX,
        rs -> rs.stream().anyMatch(r -> key.equals(r.key())), WAIT);
    return serde.parse(read.stream().filter(r -> key.equals(r.key())).findFirst()
        .orElseThrow().value());
  }

  private DeadLetter awaitDeadLetter(RecordMetadata source) {
    List<ConsumerRecord<String, byte[]>> read = Records.readUntil(bootstrap, Topics.DEAD_LETTERS,
        rs -> rs.stream().anyMatch(r -> matches(r, source)), WAIT);
    return LETTERS.parse(read.stream().filter(r -> matches(r, source)).findFirst()
        .orElseThrow().value());
  }

  private static boolean matches(ConsumerRecord<String, byte[]> r, RecordMetadata source) {
    DeadLetter d = LETTERS.parse(r.value());
    return d.getSourceTopic().equals(source.topic())
        && d.getSourcePartition() == source.partition() && d.getSourceOffset() == source.offset();
  }
}

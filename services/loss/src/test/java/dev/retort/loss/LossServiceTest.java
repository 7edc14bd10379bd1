package dev.retort.loss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.EmdLayerWeights;
import dev.retort.core.distill.emd.LocalTransportBackend;
import dev.retort.core.distill.emd.TransportSolver;
import dev.retort.core.distill.hrkd.GraphResult;
import dev.retort.core.distill.hrkd.LocalGraphBackend;
import dev.retort.core.engine.Torch;
import dev.retort.loss.emd.EmdMapper;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.TensorCodec;
import dev.retort.messaging.Topics;
import dev.retort.messaging.testing.Http;
import dev.retort.messaging.testing.Records;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.LossRequest;
import dev.retort.service.testing.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The loss service against a real broker. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LossServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ProtoSerde<LossReply> REPLIES = ProtoSerde.of(LossReply.getDefaultInstance());
  private static final ProtoSerde<DeadLetter> LETTERS =
      ProtoSerde.of(DeadLetter.getDefaultInstance());

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
  void emdReplyEqualsTheInProcessSolutionAndADuplicateGetsTheSameReply() throws Exception {
    LossRequest request = LossRequests.emd("emd-job", 7, "r-1", 11);
    send(request);
    LossReply reply = awaitReply("r-1");

    EmdLayerWeights uniform = EmdLayerWeights.uniform(LossRequests.M, LossRequests.N);
    var expected = new EmdMapper(1 << 20).toProto(LocalTransportBackend.solve(
        TransportSolver.create(), CostAttention.create(), uniform, LossRequests.distances(11),
        LossRequests.distances(12)));
    assertThat(reply.getEmd()).isEqualTo(expected);
    assertThat(reply.getJobId()).isEqualTo("emd-job");
    assertThat(reply.getStep()).isEqualTo(7);
    assertThat(reply.getComputedBy()).isEqualTo("test");
    Path state = Path.of(root, "jobs", "emd-job", "loss");
    assertThat(state.resolve("emd-last-reply.pb")).exists();
    assertThat(Files.readString(state.resolve("emd-history.json"))).contains("\"step\" : 7");

    send(request.toBuilder().setRequestId("r-2").build());
    LossReply again = awaitReply("r-2");
    assertThat(again.toBuilder().setRequestId("r-1").build()).isEqualTo(reply);
  }

  @Test
  @Order(2)
  void hrkdGraphRequestGetsRatiosSummingToOneEqualToTheInProcessGraph() throws Exception {
    send(LossRequests.graphRequest("hrkd-job", 1, "g-1", LossRequests.graph(false, 3, 0, false)));
    LossReply reply = awaitReply("g-1");
    assertThat(reply.hasGraph()).as(reply.getError()).isTrue();
    TensorCodec codec = TensorCodec.defaults();
    float[] ratios = codec.decode("ratios", reply.getGraph().getRatios()).toFloats();
    assertThat(ratios).hasSize(LossRequests.LAYERS * LossRequests.DOMAINS);
    for (int l = 0; l < LossRequests.LAYERS; l++) {
      double sum = 0;
      for (int d = 0; d < LossRequests.DOMAINS; d++) {
        sum += ratios[l * LossRequests.DOMAINS + d];
      }
      assertThat(sum).as("layer %d", l).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }
    Torch.noGradOnThisThread();
    try (LocalGraphBackend local = LocalGraphBackend.standalone(LossRequests.graphOptions(false))) {
      GraphResult expected = local.evaluate(1, LossRequests.prototypes(3), LossRequests.losses(3),
          false);
      assertThat(codec.decode("ratios", reply.getGraph().getRatios()))
          .isEqualTo(expected.ratios());
      assertThat(codec.decode("grad", reply.getGraph().getPrototypeGrad()))
          .isEqualTo(expected.prototypeGrad());
    }
  }

  @Test
  @Order(3)
  void malformedRequestIsDeadLetteredAndTheServiceStaysReady() throws Exception {
    RecordMetadata sent = Records.send(bootstrap, Topics.LOSS_REQUESTS, "some-job",
        new byte[] {(byte) 0xff, 0x01, 0x02});
    DeadLetter letter = awaitDeadLetter(sent);
    assertThat(letter.getReason()).contains("does not parse as retort.v1.LossRequest");
    assertThat(letter.getService()).isEqualTo("loss-test");
    assertThat(Http.get(ready.toString()).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void requestThatCannotBeServedGetsAnErrorReplyADeadLetterAndAFailedEvent() throws Exception {
    LossRequest bad = LossRequests.emd("bad-job", 3, "b-1", 5).toBuilder()
        .setEmd(LossRequests.emd("x", 0, "", 5).getEmd().toBuilder()
            .setAttDistances(dev.retort.messaging.MatrixCodec.defaults()
                .encode(new double[][] {{1, 2}})))
        .build();
    RecordMetadata sent = send(bad);
    LossReply reply = awaitReply("b-1");
    assertThat(reply.getError()).contains("emd.att_distances").contains("1 x 2");
    assertThat(awaitDeadLetter(sent).getReason()).contains("emd.att_distances");
    List<ConsumerRecord<String, byte[]>> events = Records.readUntil(bootstrap, Topics.JOB_EVENTS,
        rs -> rs.stream().anyMatch(r -> "bad-job".equals(r.key())), WAIT);
    JobEvent failed = ProtoSerde.of(JobEvent.getDefaultInstance()).parse(events.stream()
        .filter(r -> "bad-job".equals(r.key())).findFirst().orElseThrow().value());
    assertThat(failed.getFailed().getReason()).contains("step 3").contains("emd.att_distances");
    assertThat(failed.getSource()).as("events name the replica, as the trainer's do").isEqualTo("test");
    assertThat(Http.get(ready.toString()).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(5)
  void metricsExposeTheDocumentedNames() {
    String body = Http.get(metrics.toString()).body();
    assertThat(Http.sample(body, "retort_loss_solves_total", "method=bert-emd")).isEqualTo(1);
    assertThat(Http.sample(body, "retort_loss_solves_total", "method=hrkd")).isEqualTo(1);
    assertThat(Http.sample(body, "retort_loss_solve_seconds_count", "method=bert-emd"))
        .isEqualTo(1);
    assertThat(Http.sample(body, "retort_loss_replies_total", "source=replayed")).isEqualTo(1);
    assertThat(Http.sample(body, "retort_loss_replies_total", "source=error")).isEqualTo(1);
    assertThat(Http.sample(body, "retort_loss_rejected_total", "reason=undecodable"))
        .isEqualTo(1);
    assertThat(Http.sample(body, "retort_loss_deadletters_total")).isEqualTo(2);
    assertThat(Http.sample(body, "retort_loss_emd_layer_weight", "job=emd-job", "side=student",
        "kind=att", "layer=1")).isBetween(0.0, 1.0);
    assertThat(Http.sample(body, "retort_loss_emd_flow", "job=emd-job", "kind=hid",
        "student_layer=2", "teacher_layer=4")).isNotNaN();
    assertThat(Http.sample(body, "retort_loss_emd_cost", "job=emd-job", "kind=att")).isPositive();
    assertThat(Http.sample(body, "retort_loss_hrkd_ratio", "job=hrkd-job", "layer=0",
        "domain=1")).isBetween(0.0, 1.0);
    assertThat(Http.sample(body, "retort_loss_jobs_active")).isEqualTo(2);
    assertThat(body).contains("kafka_consumer_fetch_manager_records_lag_max")
        .contains("kafka_producer_record_send_total");
  }

  private RecordMetadata send(LossRequest r) throws Exception {
    return Records.send(bootstrap, Topics.LOSS_REQUESTS, r.getJobId(), r.toByteArray());
  }

  private LossReply awaitReply(String requestId) {
    List<ConsumerRecord<String, byte[]>> read = Records.readUntil(bootstrap, Topics.LOSS_REPLIES,
        rs -> rs.stream().anyMatch(r -> REPLIES.parse(r.value()).getRequestId().equals(requestId)),
        WAIT);
    return read.stream().map(r -> REPLIES.parse(r.value()))
        .filter(r -> r.getRequestId().equals(requestId)).findFirst().orElseThrow();
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

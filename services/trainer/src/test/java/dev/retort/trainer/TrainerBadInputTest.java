package dev.retort.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.JobEvent;
import dev.retort.trainer.job.JobState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Against a real broker: requests that do not parse or do not validate end on the dead-letter
 * topic with a reason (and a rejected event when the job id is known), a job id that already ran
 * is not run again, and the trainer stays ready throughout.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class TrainerBadInputTest {

  private static void send(String key, byte[] value) throws Exception {
    try (var p = new KafkaProducer<>(ClientConfigs.producer(KafkaBrokerResource.bootstrap, "test", Map.of()),
        new StringSerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(Topics.JOB_REQUESTS, key, value)).get();
    }
  }

  private static <T> T await(String topic, ProtoSerde<?> serde, Predicate<ConsumerRecord<String, byte[]>> match, Duration timeout) {
    try (var c = new KafkaConsumer<>(ClientConfigs.assignedConsumer(KafkaBrokerResource.bootstrap, "test-reader", Map.of()),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      long end = System.currentTimeMillis() + timeout.toMillis();
      while (System.currentTimeMillis() < end) {
        for (var r : c.poll(Duration.ofMillis(200))) {
          if (match.test(r)) {
            @SuppressWarnings("unchecked")
            T v = (T) serde.parse(r.value());
            return v;
          }
        }
      }
    }
    throw new AssertionError("nothing matching on " + topic + " within " + timeout);
  }

  @Test
  void garbageBytesAreDeadLetteredWithAReason() throws Exception {
    send("garbage", new byte[] {0x0a, (byte) 0xff, 0x13, 0x37});
    DeadLetter d = await(Topics.DEAD_LETTERS, ProtoSerde.of(DeadLetter.getDefaultInstance()),
        r -> "garbage".equals(r.key()), Duration.ofSeconds(60));
    assertThat(d.getReason()).isNotBlank();
    assertThat(d.getService()).isEqualTo("retort-trainer");
    assertThat(d.getSourceTopic()).isEqualTo(Topics.JOB_REQUESTS);
    given().when().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void unknownJobKeyIsRejectedWithTheKeyNamed() throws Exception {
    String json = """
        {"schemaVersion":"SCHEMA_VERSION_1","jobId":"bad-key-1",
         "job":{"teacher":{"model":"preset:tiny"},"distill":{"emd":{"bta":0.1}}}}""";
    send("bad-key-1", json.getBytes(StandardCharsets.UTF_8));
    JobEvent e = await(Topics.JOB_EVENTS, ProtoSerde.of(JobEvent.getDefaultInstance()),
        r -> "bad-key-1".equals(r.key()), Duration.ofSeconds(60));
    assertThat(e.hasRejected()).isTrue();
    assertThat(e.getRejected().getWhere()).contains("distill.emd.bta");
    assertThat(e.getRejected().getReason()).contains("unknown key");
    assertThat(e.getRejected().getFix()).contains("distill.emd.beta");
    DeadLetter d = await(Topics.DEAD_LETTERS, ProtoSerde.of(DeadLetter.getDefaultInstance()),
        r -> "bad-key-1".equals(r.key()), Duration.ofSeconds(30));
    assertThat(d.getReason()).contains("unknown key");
    given().when().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void jobOverTheResourceLimitsIsRejectedUpFront() throws Exception {
    String json = """
        {"schemaVersion":"SCHEMA_VERSION_1","jobId":"too-long-1",
         "job":{"teacher":{"model":"preset:tiny"},"task":{"max-length":100000}}}""";
    send("too-long-1", json.getBytes(StandardCharsets.UTF_8));
    JobEvent e = await(Topics.JOB_EVENTS, ProtoSerde.of(JobEvent.getDefaultInstance()),
        r -> "too-long-1".equals(r.key()), Duration.ofSeconds(60));
    assertThat(e.getRejected().getWhere()).contains("task.max-length");
    assertThat(e.getRejected().getReason()).contains("accepts 8..512");
  }

  @Test
  void attentionDistillationBetweenDifferentHeadCountsIsRejectedBeforeTheTeacherLoads() throws Exception {
    // bert-base has 12 heads, the tiny preset 4: BERT-EMD cannot compare their attention maps.
    String json = """
        {"schemaVersion":"SCHEMA_VERSION_1","jobId":"heads-1",
         "job":{"teacher":{"model":"preset:bert-base"},"student":{"preset":"tiny"},
                "distill":{"method":"bert-emd"}}}""";
    send("heads-1", json.getBytes(StandardCharsets.UTF_8));
    JobEvent e = await(Topics.JOB_EVENTS, ProtoSerde.of(JobEvent.getDefaultInstance()),
        r -> "heads-1".equals(r.key()), Duration.ofSeconds(60));
    assertThat(e.hasRejected()).isTrue();
    assertThat(e.getRejected().getWhere()).contains("student.heads");
    assertThat(e.getRejected().getReason()).contains("the student has 4, the teacher 12");
    assertThat(e.getRejected().getFix()).contains("Give the student 12 heads");
  }

  @Test
  void pkdJobThatAsksForAnAttentionTermIsRejectedBeforeItIsQueued() throws Exception {
    String json = """
        {"schemaVersion":"SCHEMA_VERSION_1","jobId":"pkd-att-1",
         "job":{"teacher":{"model":"preset:tiny"},"distill":{"method":"pkd","use-attention":true}}}""";
    send("pkd-att-1", json.getBytes(StandardCharsets.UTF_8));
    JobEvent e = await(Topics.JOB_EVENTS, ProtoSerde.of(JobEvent.getDefaultInstance()),
        r -> "pkd-att-1".equals(r.key()), Duration.ofSeconds(60));
    assertThat(e.hasRejected()).isTrue();
    assertThat(e.getRejected().getWhere()).contains("distill.use-attention");
    assertThat(e.getRejected().getReason()).contains("pkd has no attention-score term");
  }

  @Test
  void hrkdJobThatLeavesItsAttentionTermOutIsRejectedBeforeItIsQueued() throws Exception {
    // hrkd has a runner of its own; its options are checked on submission all the same.
    String json = """
        {"schemaVersion":"SCHEMA_VERSION_1","jobId":"hrkd-att-1",
         "job":{"teacher":{"model":"preset:tiny"},"distill":{"method":"hrkd","use-attention":false}}}""";
    send("hrkd-att-1", json.getBytes(StandardCharsets.UTF_8));
    JobEvent e = await(Topics.JOB_EVENTS, ProtoSerde.of(JobEvent.getDefaultInstance()),
        r -> "hrkd-att-1".equals(r.key()), Duration.ofSeconds(60));
    assertThat(e.hasRejected()).isTrue();
    assertThat(e.getRejected().getWhere()).contains("distill.use-attention");
    assertThat(e.getRejected().getReason()).contains("hrkd always includes its attention-score term");
  }

  @Test
  void hrkdJobWhoseStudentLayersDoNotDivideTheTeachersIsRejectedBeforeItIsQueued() throws Exception {
    // The tiny preset teacher has 2 layers; the default student (tinybert-4l-312) has 4.
    String json = """
        {"schemaVersion":"SCHEMA_VERSION_1","jobId":"hrkd-layers-1",
         "job":{"teacher":{"model":"preset:tiny"},"distill":{"method":"hrkd"}}}""";
    send("hrkd-layers-1", json.getBytes(StandardCharsets.UTF_8));
    JobEvent e = await(Topics.JOB_EVENTS, ProtoSerde.of(JobEvent.getDefaultInstance()),
        r -> "hrkd-layers-1".equals(r.key()), Duration.ofSeconds(60));
    assertThat(e.hasRejected()).isTrue();
    assertThat(e.getRejected().getWhere()).contains("student.layers");
    assertThat(e.getRejected().getReason()).contains("cannot map a 4-layer student onto the teacher's 2");
  }

  @Test
  void jobThatAlreadyFinishedIsNotRunAgain() throws Exception {
    JobState.write(KafkaBrokerResource.artifacts.resolve("jobs").resolve("done-1"), "finished", "earlier", "");
    String json = """
        {"schemaVersion":"SCHEMA_VERSION_1","jobId":"done-1","job":{"teacher":{"model":"preset:tiny"}}}""";
    send("done-1", json.getBytes(StandardCharsets.UTF_8));
    // A marker request sent afterwards to the same partition is handled after it.
    send("done-1", new byte[] {1, 2, 3});
    await(Topics.DEAD_LETTERS, ProtoSerde.of(DeadLetter.getDefaultInstance()), r -> "done-1".equals(r.key()), Duration.ofSeconds(60));
    assertThat(JobState.status(KafkaBrokerResource.artifacts.resolve("jobs").resolve("done-1"))).contains("finished");
    try (var c = new KafkaConsumer<>(ClientConfigs.assignedConsumer(KafkaBrokerResource.bootstrap, "events", Map.of()),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(Topics.JOB_EVENTS).forEach(p -> parts.add(new TopicPartition(Topics.JOB_EVENTS, p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      var serde = ProtoSerde.of(JobEvent.getDefaultInstance());
      for (var r : c.poll(Duration.ofSeconds(2))) {
        if ("done-1".equals(r.key())) {
          assertThat(serde.parse(r.value()).hasAccepted()).as("a finished job is not accepted again").isFalse();
        }
      }
    }
  }
}

package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.proto.v1.TrainingRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingRequestsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-01-02T03:04:05.123Z"), ZoneOffset.UTC);

  /** The example of the class javadoc, on one line. */
  private static final String EXAMPLE = "{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":"
      + "\"demo-1\",\"job\":{\"task\":{\"format\":\"sample\"},\"teacher\":{\"model\":"
      + "\"all-minilm-l6-v2\"},\"student\":{\"preset\":\"tiny\"},\"distill\":{\"method\":"
      + "\"bert-emd\"}}}";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> job() {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("teacher", Map.of("model", "all-minilm-l6-v2"));
    job.put("seed", 42);
    job.put("task", Map.of("buckets", List.of(16, 32)));
    return job;
  }

  @Test
  void javadocExampleParsesAsJson() {
    TrainingRequest r = TrainingRequests.parse(utf8(EXAMPLE));

    assertThat(r.getJobId()).isEqualTo("demo-1");
    assertThat(Structs.toMap(r.getJob()))
        .containsEntry("teacher", Map.of("model", "all-minilm-l6-v2"))
        .containsEntry("distill", Map.of("method", "bert-emd"));
  }

  @Test
  void jsonWithLeadingWhitespaceByteOrderMarkAndProtoFieldNamesParses() {
    String json = "\uFEFF \n\t{\"schema_version\": 1, \"job_id\": \"a.b_c-9\", "
        + "\"job\": {\"teacher\": {\"model\": \"x\"}}}";

    assertThat(TrainingRequests.isJson(utf8(json))).isTrue();
    assertThat(TrainingRequests.parse(utf8(json)).getJobId()).isEqualTo("a.b_c-9");
  }

  @Test
  void binaryAndJsonFormsParseToTheSameRequest() {
    TrainingRequest built = TrainingRequests.builder("demo-2", job(), CLOCK)
        .setSubmittedBy("test").build();

    TrainingRequest fromBinary = TrainingRequests.parse(built.toByteArray());
    TrainingRequest fromJson = TrainingRequests.parse(utf8(TrainingRequests.toJson(built)));

    assertThat(TrainingRequests.isJson(built.toByteArray())).isFalse();
    assertThat(fromBinary).isEqualTo(built);
    assertThat(fromJson).isEqualTo(built);
    assertThat(TrainingRequests.toJson(built)).doesNotContain("\n")
        .startsWith("{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":\"demo-2\"")
        .contains("\"submittedAt\":\"2025-01-02T03:04:05.123Z\"");
  }

  @Test
  void builderTurnsTheJobTreeIntoAStruct() {
    TrainingRequest r = TrainingRequests.builder("demo-3", job(), CLOCK).build();

    assertThat(r.getSchemaVersion()).isEqualTo(SchemaVersions.CURRENT);
    assertThat(Structs.toMap(r.getJob())).isEqualTo(Map.of(
        "teacher", Map.of("model", "all-minilm-l6-v2"),
        "seed", 42L,
        "task", Map.of("buckets", List.of(16L, 32L))));
    assertThat(ProtoTimes.toInstant(r.getSubmittedAt())).isEqualTo(CLOCK.instant());
  }

  @Test
  void illegalJobIdsAreRejectedWithTheRule() {
    for (String id : List.of("", "Demo", "-lead", "a b", "x".repeat(64), "ü")) {
      String json = "{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":\"" + id
          + "\",\"job\":{\"a\":1}}";
      assertThatThrownBy(() -> TrainingRequests.parse(utf8(json)))
          .as("job id '%s'", id)
          .isInstanceOf(BadMessageException.class)
          .hasMessageContaining("is not a legal job id")
          .hasMessageContaining("a-z, 0-9");
    }
    assertThat(TrainingRequests.JOB_ID.matcher("x".repeat(63)).matches()).isTrue();
    assertThatThrownBy(() -> TrainingRequests.builder("Bad", job(), CLOCK))
        .isInstanceOf(RetortException.class);
  }

  @Test
  void missingOrWrongSchemaVersionIsRejectedWithTheFix() {
    String missing = "{\"jobId\":\"demo-1\",\"job\":{\"a\":1}}";
    String newer = "{\"schemaVersion\":5,\"jobId\":\"demo-1\",\"job\":{\"a\":1}}";

    assertThatThrownBy(() -> TrainingRequests.parse(utf8(missing)))
        .hasMessageContaining("has no schema_version")
        .hasMessageContaining("Set \"schemaVersion\": \"SCHEMA_VERSION_1\"");
    assertThatThrownBy(() -> TrainingRequests.parse(utf8(newer)))
        .hasMessageContaining("schema_version 5");
  }

  @Test
  void emptyJobIsRejected() {
    String json = "{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":\"demo-1\",\"job\":{}}";

    assertThatThrownBy(() -> TrainingRequests.parse(utf8(json)))
        .hasMessageContaining("job: the request has no job");
  }

  @Test
  void malformedJsonAndUnknownFieldsAreRejected() {
    assertThatThrownBy(() -> TrainingRequests.parse(utf8("{\"jobId\": ")))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("the JSON is not a TrainingRequest");
    assertThatThrownBy(() -> TrainingRequests.parse(utf8(EXAMPLE.replace("jobId", "jobid"))))
        .hasMessageContaining("jobid");
    byte[] badUtf8 = {'{', (byte) 0xC3, (byte) 0x28, '}'};
    assertThatThrownBy(() -> TrainingRequests.parse(badUtf8))
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void garbageBytesAreRejectedWithoutEscapingExceptions() {
    Decoded<TrainingRequest> garbage =
        TrainingRequests.decode(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00, 0x13});
    Decoded<TrainingRequest> text = TrainingRequests.decode(utf8("submit demo please"));
    Decoded<TrainingRequest> empty = TrainingRequests.decode(new byte[0]);

    assertThat(garbage.isOk()).isFalse();
    assertThat(garbage.reason()).contains("neither JSON").contains("nor a binary");
    assertThat(text.isOk()).isFalse();
    assertThat(empty.reason()).contains("no value");
  }

  @Test
  void decodeReturnsTheRequestOfAValidRecord() {
    assertThat(TrainingRequests.decode(utf8(EXAMPLE)).value().getJobId()).isEqualTo("demo-1");
  }
}

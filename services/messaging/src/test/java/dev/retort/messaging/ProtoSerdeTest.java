package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.proto.v1.JobControl;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.SchemaVersion;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProtoSerdeTest {
  private final ProtoSerde<JobControl> serde = ProtoSerde.of(JobControl.getDefaultInstance());

  private static JobControl cancel(String jobId) {
    return JobControl.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
        .setJobId(jobId)
        .setCancel(JobControl.Cancel.newBuilder().setReason("user asked")).build();
  }

  @Test
  void serializerAndDeserializerRoundTrip() {
    JobControl message = cancel("demo-1");

    byte[] bytes = serde.serializer().serialize("t", message);

    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(message);
    assertThat(serde.decode(bytes).value()).isEqualTo(message);
    assertThat(serde.typeName()).isEqualTo("retort.v1.JobControl");
  }

  @Test
  void garbageBecomesAFailureWithItsBytesInsteadOfAnException() {
    byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01, 0x02};

    Decoded<JobControl> decoded = serde.decodingDeserializer().deserialize("t", garbage);

    assertThat(decoded.isOk()).isFalse();
    assertThat(decoded.reason()).contains("does not parse as retort.v1.JobControl");
    assertThat(decoded.raw()).isEqualTo(garbage);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", garbage))
        .isInstanceOf(BadMessageException.class);
  }

  @Test
  void randomBytesNeverEscapeAsExceptions() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      Decoded<JobControl> decoded = serde.decode(bytes);
      assertThat(decoded.isOk()).as("random bytes #%d decode as a current JobControl", i)
          .isFalse();
    }
  }

  @Test
  void textThatHappensToParseIsRejectedForItsMissingSchemaVersion() {
    byte[] text = "hi".getBytes(StandardCharsets.US_ASCII); // field 13 (varint) = 105

    Decoded<JobControl> decoded = serde.decode(text);

    assertThat(decoded.reason()).contains("has no schema_version");
  }

  @Test
  void unknownSchemaVersionIsRejectedWithTheNumber() {
    byte[] newer = cancel("demo-1").toBuilder().setSchemaVersionValue(7).build().toByteArray();

    Decoded<JobControl> decoded = serde.decode(newer);

    assertThat(decoded.isOk()).isFalse();
    assertThat(decoded.reason()).contains("schema_version 7").contains("does not know");
  }

  @Test
  void missingSchemaVersionIsRejected() {
    byte[] unversioned = cancel("demo-1").toBuilder().clearSchemaVersion().build().toByteArray();

    assertThat(serde.decode(unversioned).reason()).contains("has no schema_version");
  }

  @Test
  void tombstoneIsAFailure() {
    assertThat(serde.decode(null).reason()).contains("tombstone");
  }

  @Test
  void typesWithoutSchemaVersionAreNotChecked() {
    ProtoSerde<OutputSelection> selection = ProtoSerde.of(OutputSelection.getDefaultInstance());
    OutputSelection s = OutputSelection.newBuilder().addHiddenLayers(0).setLogits(true).build();

    assertThat(selection.decode(s.toByteArray()).value()).isEqualTo(s);
  }

  @Test
  void mapKeepsFailuresAndTransformsValues() {
    Decoded<String> ok = serde.decode(cancel("a").toByteArray()).map(JobControl::getJobId);
    Decoded<String> bad = serde.decode(new byte[] {(byte) 0xFF}).map(JobControl::getJobId);

    assertThat(ok.value()).isEqualTo("a");
    assertThat(bad.isOk()).isFalse();
    assertThatThrownBy(bad::value).isInstanceOf(IllegalStateException.class);
  }
}

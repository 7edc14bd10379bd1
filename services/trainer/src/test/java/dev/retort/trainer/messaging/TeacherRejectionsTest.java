package dev.retort.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.retort.proto.v1.SchemaVersion;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.proto.v1.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Which output a dead-lettered teacher request was for, from the copy its dead letter keeps. */
class TeacherRejectionsTest {
  private static byte[] request(long batch) {
    return TeacherRequest.newBuilder()
        .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
        .setPassId("0123456789abcdef")
        .setBatchIndex(batch)
        .setTeacherRef("preset:tiny")
        .setInputIds(Tensor.newBuilder().setData(ByteString.copyFrom(new byte[4096])))
        .build().toByteArray();
  }

  @Test
  void aWholeRequestGivesItsPassAndBatch() {
    assertThat(TeacherRejections.outputKey(request(4242L), false)).contains("0123456789abcdef/4242");
  }

  @Test
  void aRequestCutInItsTensorsStillGivesItsPassAndBatch() {
    byte[] cut = Arrays.copyOf(request(Long.MAX_VALUE), 64);
    assertThat(TeacherRejections.outputKey(cut, true))
        .contains("0123456789abcdef/" + Long.MAX_VALUE);
  }

  @Test
  void aRequestCutBeforeItsBatchGivesNothing() {
    byte[] whole = request(4242L);
    // Schema version (2 bytes) and pass id (2 + 16 bytes), cut at a field's end or inside one:
    // the batch index is missing, and a cut copy cannot say it was zero.
    assertThat(TeacherRejections.outputKey(Arrays.copyOf(whole, 20), true)).isEmpty();
    assertThat(TeacherRejections.outputKey(Arrays.copyOf(whole, 10), true)).isEmpty();
  }

  @Test
  void aWholeRequestOfBatchZeroGivesBatchZero() {
    // proto3 writes no field for a zero batch index; only a copy known to be whole shows it.
    assertThat(TeacherRejections.outputKey(request(0L), false)).contains("0123456789abcdef/0");
  }
}

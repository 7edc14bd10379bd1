package dev.retort.teacher.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.tensor.HalfFloats;
import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.SchemaVersions;
import dev.retort.messaging.SentMessage;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.teacher.TinyTeachers;
import dev.retort.teacher.inference.ComputedOutput;
import dev.retort.teacher.inference.ModelKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TeacherOutputMapperTest {
  private final TeacherOutputMapper mapper = new TeacherOutputMapper(1024);

  private static TeacherRequest.Builder valid() {
    return TinyTeachers.request("aa11", 9L, "checkpoint:t", TinyTeachers.batch(5, 2, 4),
        DType.DTYPE_UNSPECIFIED).toBuilder();
  }

  @Test
  void validRequestBecomesATaskWithSortedSelectionAndFp32Default() {
    TeacherRequest r = valid().setSelection(OutputSelection.newBuilder()
        .addAllHiddenLayers(List.of(2, 0, 2)).addScoreLayers(2).addScoreLayers(1)).build();
    TeacherTask t = mapper.toTask(r);
    assertThat(t.key()).isEqualTo("aa11/9");
    assertThat(t.model()).isEqualTo(new ModelKey("checkpoint:t", 3, false, 0));
    assertThat(t.selection().hiddenLayers()).containsExactly(0, 2);
    assertThat(t.selection().scoreLayers()).containsExactly(1, 2);
    assertThat(t.selection().logits()).isFalse();
    assertThat(t.wireType()).isEqualTo(DType.DTYPE_FP32);
    assertThat(t.input().batchSize()).isEqualTo(2);
    assertThat(t.input().length()).isEqualTo(4);
    assertThat(t.input().ids()).isEqualTo(TinyTeachers.batch(5, 2, 4)[0]);
    assertThat(t.dropout()).isFalse();
  }

  @Test
  void dropoutRequestedByTheJobReachesTheTask() {
    assertThat(mapper.toTask(valid().setDropout(true).build()).dropout()).isTrue();
  }

  @Test
  void malformedRequestsNameTheField() {
    assertRejected(valid().setPassId(""), "pass_id");
    assertRejected(valid().setPassId("a/b"), "pass_id");
    assertRejected(valid().setTeacherRef(" "), "teacher_ref");
    assertRejected(valid().setRegression(true), "num_labels");
    assertRejected(valid().setNumLabels(0), "num_labels");
    assertRejected(valid().setDomain(-1), "domain");
    assertRejected(valid().setSelection(OutputSelection.newBuilder()), "selects nothing");
    assertRejected(valid().setSelection(OutputSelection.newBuilder().addHiddenLayers(-1)),
        "selection.hidden_layers");
    assertRejected(valid().setSelection(OutputSelection.newBuilder().addScoreLayers(0)),
        "selection.score_layers");
    assertRejected(valid().setSelection(OutputSelection.newBuilder().setLogits(true)
        .setDtype(DType.DTYPE_INT64)), "selection.dtype");
    assertRejected(valid().setInputIds(TensorCodec.defaults().encode(
        HostTensor.ofFloats(new long[] {2, 4}, new float[8]))), "input_ids");
    assertRejected(valid().setAttentionMask(TensorCodec.defaults().encode(
        HostTensor.ofLongs(new long[] {2, 3}, new long[6]))), "attention_mask");
    assertRejected(valid().setInputIds(TensorCodec.defaults().encode(
        HostTensor.ofLongs(new long[] {2, 4}, new long[] {0, 0, 0, 0, 0, 0, 0, 1L << 40}))),
        "does not fit an int");
  }

  @Test
  void batchesAboveTheTokenLimitAreRejected() {
    TeacherOutputMapper small = new TeacherOutputMapper(7);
    assertThatThrownBy(() -> small.toTask(valid().build()))
        .isInstanceOf(BadMessageException.class).hasMessageContaining("input_ids");
  }

  @Test
  void outputCarriesHiddenInTheWireTypeLogitsInFp32AndTheSelectionEcho() {
    TeacherRequest r = valid().setSelection(OutputSelection.newBuilder().addHiddenLayers(1)
        .setLogits(true).setDtype(DType.DTYPE_FP16)).build();
    TeacherTask t = mapper.toTask(r);
    HostTensor hidden = HostTensor.ofFloats(new long[] {2, 4, 1},
        new float[] {1f, 0.1f, -2f, 3.5f, 1e-3f, 65504f, 0f, -0f});
    HostTensor logits = HostTensor.ofFloats(new long[] {2, 3}, new float[] {0.1f, 0.2f, 0.3f,
        1f / 3, 2f / 3, 1f});
    TeacherOutput out = mapper.toOutput(r, t,
        new ComputedOutput(List.of(hidden), List.of(), logits, 12.5), "teacher-x");
    assertThat(out.getSchemaVersion()).isEqualTo(SchemaVersions.CURRENT);
    assertThat(out.getLength()).isEqualTo(4);
    assertThat(out.getHidden(0).getDtype()).isEqualTo(DType.DTYPE_FP16);
    assertThat(out.getHidden(0).getShapeList()).containsExactly(2L, 4L, 1L);
    assertThat(TensorCodec.defaults().decode("h", out.getHidden(0)).toFloats())
        .containsExactly(1f, 0.099975586f, -2f, 3.5f, 0.0010004044f, 65504f, 0f, -0f);
    assertThat(out.getLogits().getDtype()).isEqualTo(DType.DTYPE_FP32);
    assertThat(TensorCodec.defaults().decode("l", out.getLogits())).isEqualTo(logits);
    assertThat(out.getSelection().getHiddenLayersList()).containsExactly(1);
    assertThat(out.getSelection().getDtype()).isEqualTo(DType.DTYPE_FP16);
    assertThat(out.getComputedBy()).isEqualTo("teacher-x");
    assertThat(out.getComputeMs()).isEqualTo(12.5);
  }

  @Test
  void askedTrimmingReachesTheTaskAndTheOutputNamesItsKeyColumns() {
    TeacherRequest plain = valid().setSelection(OutputSelection.newBuilder().addScoreLayers(1))
        .build();
    assertThat(mapper.toTask(plain).trimPaddingKeys()).isFalse();
    TeacherRequest r = valid().setSelection(OutputSelection.newBuilder().addScoreLayers(1)
        .setTrimPaddingKeys(true)).build();
    TeacherTask t = mapper.toTask(r);
    assertThat(t.trimPaddingKeys()).isTrue();
    HostTensor scores = HostTensor.ofFloats(new long[] {2, 1, 4, 3}, new float[24]); // K 3 of L 4
    TeacherOutput out = mapper.toOutput(r, t,
        new ComputedOutput(List.of(), List.of(scores), null, 1, 3), "teacher-x");
    assertThat(out.getLength()).isEqualTo(4);
    assertThat(out.getKeyLength()).isEqualTo(3);
    assertThat(out.getScores(0).getShapeList()).containsExactly(2L, 1L, 4L, 3L);
    assertThat(out.getSelection().getTrimPaddingKeys()).isTrue();
  }

  @Test
  void outputsAlreadyInTheWireTypeTravelAsTheCodecWouldHaveRoundedThem() {
    TeacherRequest r = valid().setSelection(OutputSelection.newBuilder().addHiddenLayers(1)
        .setDtype(DType.DTYPE_FP16)).build();
    TeacherTask t = mapper.toTask(r);
    HostTensor fp32 = HostTensor.ofFloats(new long[] {2, 4, 1},
        new float[] {1f, 0.1f, -2f, 3.5f, 1e-3f, 65504f, 0f, -0f});
    ByteBuffer half = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = fp32.toFloats();
    for (int i = 0; i < v.length; i++) {
      half.putShort(2 * i, HalfFloats.toF16(v[i]));
    }
    HostTensor fp16 = new HostTensor(dev.retort.core.tensor.DType.F16, fp32.shape(), half);
    TeacherOutput fromFp32 = mapper.toOutput(r, t,
        new ComputedOutput(List.of(fp32), List.of(), null, 1), "teacher-x");
    TeacherOutput fromFp16 = mapper.toOutput(r, t,
        new ComputedOutput(List.of(fp16), List.of(), null, 1), "teacher-x");
    assertThat(fromFp16.getHidden(0)).isEqualTo(fromFp32.getHidden(0));
  }

  @Test
  void locationRecordsWhereTheOutputLanded() {
    TeacherOutput out = TeacherOutput.newBuilder().setPassId("p").setBatchIndex(3).build();
    RecordMetadata first = new RecordMetadata(new TopicPartition("o", 5), 120, 0, 0, 0, 0);
    TeacherOutputLocation loc = mapper.toLocation(out, new SentMessage(first, 4, "m-1", 4000), "o");
    assertThat(loc).isEqualTo(TeacherOutputLocation.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT).setPassId("p").setBatchIndex(3).setTopic("o")
        .setPartition(5).setOffset(120).setChunks(4).setMessageId("m-1").setBytes(4000).build());
  }

  private void assertRejected(TeacherRequest.Builder r, String where) {
    assertThatThrownBy(() -> mapper.toTask(r.build()))
        .isInstanceOf(BadMessageException.class).hasMessageContaining(where);
  }
}

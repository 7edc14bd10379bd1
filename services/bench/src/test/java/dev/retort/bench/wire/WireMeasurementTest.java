package dev.retort.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.bench.BenchJobs;
import dev.retort.bench.compute.SyntheticBatch;
import dev.retort.core.distill.DistillationObjective;
import dev.retort.core.distill.LocalTeacher;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.HfModule;
import dev.retort.core.run.Methods;
import dev.retort.core.train.StepTimer;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.TeacherOutput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Payload sizes and losses on a tiny random teacher and student. */
class WireMeasurementTest {
  private final TeacherPayloads payloads = new TeacherPayloads(TensorCodec.defaults());

  private static BertForSequenceClassification model(BertConfig c, long seed, NDManager m) {
    var model = new BertForSequenceClassification(c, HeadConfig.forClassification(3));
    Torch.seed(seed);
    model.initializeParameters(m);
    return model;
  }

  @Test
  void denseReferenceHasTheSizeOfEveryLayerInFp32AtTheSameLength() {
    Torch.noGradOnThisThread();
    BertConfig tc = BertConfig.tiny();
    try (NDManager m = NDManager.newBaseManager()) {
      var teacher = model(tc, 1, m);
      var batch = SyntheticBatch.of(4, 16, tc.vocabSize(), 3, 2);
      TeacherSelection all = TeacherSelection.all(tc.numLayers());
      TeacherOutputs out = new LocalTeacher(teacher, all, false).outputs(batch, m, new StepTimer());
      TeacherOutput encoded = payloads.encode(out, all, DType.DTYPE_FP32, 16, 16);
      // Every token real: nothing to trim. The encoded message also names its 16 key columns and
      // the trimming in its selection (4 bytes of header).
      assertThat(payloads.dense(tc, 4, 16, 3).getSerializedSize())
          .isEqualTo(encoded.getSerializedSize() - 4);
      // Twice the length: hidden states double, scores quadruple.
      long data16 = 3L * 4 * 16 * 32 * 4 + 2L * 4 * 4 * 16 * 16 * 4;
      long data32 = 3L * 4 * 32 * 32 * 4 + 2L * 4 * 4 * 32 * 32 * 4;
      long overhead = encoded.getSerializedSize() - data16;
      assertThat(payloads.dense(tc, 4, 32, 3).getSerializedSize() - data32)
          .isBetween(overhead - 16, overhead + 16);
    }
  }

  @Test
  void fp32RoundTripIsExactAndHalfPrecisionIsClose() {
    Torch.noGradOnThisThread();
    BertConfig tc = BertConfig.tiny();
    try (NDManager m = NDManager.newBaseManager()) {
      var teacher = model(tc, 1, m);
      var batch = SyntheticBatch.of(2, 8, tc.vocabSize(), 3, 2);
      TeacherSelection all = TeacherSelection.all(tc.numLayers());
      TeacherOutputs out = new LocalTeacher(teacher, all, false).outputs(batch, m, new StepTimer());
      float[] ref = out.hidden(2).toFloatArray();
      TeacherOutputs back = payloads.decode(payloads.encode(out, all, DType.DTYPE_FP32, 8, 8), m);
      assertThat(back.hidden(2).toFloatArray()).containsExactly(ref);
      NDArray half = payloads.decode(payloads.encode(out, all, DType.DTYPE_FP16, 8, 8), m).hidden(2);
      float[] h = half.toFloatArray();
      for (int i = 0; i < ref.length; i++) {
        assertThat(Math.abs(h[i] - ref[i])).isLessThanOrEqualTo(Math.abs(ref[i]) / 1024 + 1e-7f);
      }
      assertThat(back.scores().keySet()).containsExactly(1, 2);
    }
  }

  @Test
  void halfPrecisionHalvesTheBytesAndKeepsTheLoss() {
    Torch.noGradOnThisThread();
    BertConfig tc = BertConfig.tiny();
    BertConfig sc = tc.withNumLayers(1);
    try (NDManager m = NDManager.newBaseManager()) {
      var teacher = model(tc, 1, m);
      var student = model(sc, 2, m);
      List<WireVariant> variants = new ArrayList<>();
      for (String method : List.of("tinybert", "bert-emd")) {
        DistillationObjective o =
            Methods.objective(
                BenchJobs.method(method, "preset:tiny"), sc, tc, false, Methods.localTransport());
        for (HfModule mod : o.modules().values()) {
          mod.initializeParameters(m);
        }
        for (DType d : List.of(DType.DTYPE_FP32, DType.DTYPE_FP16, DType.DTYPE_BF16)) {
          variants.add(new WireVariant(method, o.teacherSelection(), d, o));
        }
      }
      WireMeasurement w = new WireMeasurement(payloads, variants);
      w.add(SyntheticBatch.of(4, 16, tc.vocabSize(), 3, 5), teacher, student, 32, m);
      w.add(SyntheticBatch.of(4, 8, tc.vocabSize(), 3, 6), teacher, student, 32, m);
      assertThat(w.examples()).isEqualTo(8);
      assertThat(w.lengths()).containsExactly(16, 8);
      var totals = w.totals();
      long tinyFp32 = totals.get(0).bytes();
      long tinyFp16 = totals.get(1).bytes();
      long emdFp32 = totals.get(3).bytes();
      assertThat(totals.get(0).maxRelativeLossDifference()).isZero();
      assertThat(totals.get(3).maxRelativeLossDifference()).isZero();
      assertThat((double) tinyFp16 / tinyFp32).isBetween(0.5, 0.56);
      // One student layer maps to teacher layer 2: hidden 0 and 2 and scores of layer 2, fewer than
      // every layer.
      assertThat(tinyFp32).isLessThan(emdFp32);
      // Trimmed below the padded 32: far below the dense reference.
      assertThat(emdFp32).isLessThan(w.denseBytes() / 2);
      for (int i = 0; i < totals.size(); i++) {
        assertThat(totals.get(i).maxRelativeLossDifference())
            .as(totals.get(i).variant().name())
            .isLessThan(0.01);
      }
    }
  }
}

package dev.retort.core.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.Taps;
import dev.retort.core.run.Methods;
import dev.retort.core.train.StepTimer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The teacher service may leave out the score columns after a batch's last real key: with the
 * padding keys' bias put back, every method's loss is the same number.
 */
class PaddingKeysTest {

  @Test
  void keyLengthIsOnePastTheLastRealPositionOfAnyRow() {
    assertThat(PaddingKeys.keyLength(new int[][] {{1, 1, 0, 0}, {1, 1, 1, 0}})).isEqualTo(3);
    assertThat(PaddingKeys.keyLength(new int[][] {{1, 0, 1, 0, 0}})).isEqualTo(3);
    assertThat(PaddingKeys.keyLength(new int[][] {{1, 1, 1, 1}})).isEqualTo(4);
    assertThat(PaddingKeys.keyLength(new int[][] {{0, 0, 0}})).isEqualTo(1);
  }

  @Test
  void restoreKeepsTheSentColumnsAndFillsTheRestWithThePaddingBias() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray scores = m.arange(0f, 2 * 3 * 4 * 4f).reshape(2, 3, 4, 4); // [B, A, L, L]
      NDArray trimmed = PaddingKeys.trim(scores, 3);
      assertThat(trimmed.getShape()).isEqualTo(new Shape(2, 3, 4, 3));
      NDArray restored = PaddingKeys.restore(trimmed, 4);
      assertThat(restored.getShape()).isEqualTo(new Shape(2, 3, 4, 4));
      assertThat(restored.get(new NDIndex(":, :, :, :3")).toFloatArray())
          .containsExactly(scores.get(new NDIndex(":, :, :, :3")).toFloatArray());
      for (float v : restored.get(new NDIndex(":, :, :, 3:")).toFloatArray()) {
        assertThat(v).isEqualTo(BertInput.PADDING_KEY_BIAS);
      }
      assertThat(PaddingKeys.restore(scores, 4)).isSameAs(scores);
      assertThatThrownBy(() -> PaddingKeys.restore(trimmed, 2))
          .hasMessageContaining("cannot be restored to 2");
    }
  }

  @Test
  void everyMethodOnScoresGivesTheSameLossWithTrimmedTeacherScores() {
    Torch.noGradOnThisThread();
    BertConfig tc = BertConfig.tiny();
    BertConfig sc = tc.withNumLayers(1);
    // Real lengths 5 and 3 at L 8: keys 5..7 are padding in both rows.
    Batch batch = batch(new int[] {5, 3}, 8, tc.vocabSize());
    int keys = PaddingKeys.keyLength(batch.attentionMask());
    assertThat(keys).isEqualTo(5);
    for (String method : new String[] {"bert-emd", "tinybert"}) {
      try (NDManager m = NDManager.newBaseManager()) {
        BertForSequenceClassification teacher = model(tc, 1, m);
        BertForSequenceClassification student = model(sc, 2, m);
        ConfigValues job = new JobParser(JobSchema.root()).parse(
            "teacher:\n  model: 'preset:tiny'\ndistill:\n  method: " + method + "\n", "job.yaml");
        DistillationObjective objective =
            Methods.objective(job, sc, tc, false, Methods.localTransport());
        for (HfModule mod : objective.modules().values()) {
          mod.initializeParameters(m);
        }
        TeacherOutputs full = new LocalTeacher(teacher, objective.teacherSelection(), false)
            .outputs(batch, m, new StepTimer());
        BertInput in = BertInput.of(m, batch.inputIds(), batch.segmentIds(), batch.attentionMask());
        ParameterStore ps = new ParameterStore(m, false);
        BertOutputs s = student.forward(ps, in, new Taps(true, true, false), false);
        NDArray labels = DistillationStep.labels(batch, m);

        double untrimmed = loss(objective, ps, s, full, labels);
        assertThat(loss(objective, ps, s, trimmed(full, keys, 8), labels))
            .as(method).isEqualTo(untrimmed);
        // The check has teeth: cutting a real key as well changes the loss.
        assertThat(loss(objective, ps, s, trimmed(full, keys - 1, 8), labels))
            .as(method).isNotEqualTo(untrimmed);
      }
    }
  }

  private static double loss(DistillationObjective o, ParameterStore ps, BertOutputs s,
      TeacherOutputs t, NDArray labels) {
    return o.compute(ps, s, t, labels, Phase.JOINT, 0, new StepTimer()).totalValue();
  }

  private static TeacherOutputs trimmed(TeacherOutputs full, int keys, long length) {
    Map<Integer, NDArray> scores = new HashMap<>();
    full.scores().forEach((l, a) -> scores.put(l, PaddingKeys.restore(PaddingKeys.trim(a, keys), length)));
    return new TeacherOutputs(full.hidden(), scores, full.logits());
  }

  private static BertForSequenceClassification model(BertConfig c, long seed, NDManager m) {
    var model = new BertForSequenceClassification(c, HeadConfig.forClassification(3));
    Torch.seed(seed);
    model.initializeParameters(m);
    return model;
  }

  /** A batch with the given real lengths, padded with id 0 and mask 0. */
  private static Batch batch(int[] real, int length, int vocab) {
    int b = real.length;
    int[][] ids = new int[b][length];
    int[][] mask = new int[b][length];
    for (int i = 0; i < b; i++) {
      for (int t = 0; t < real[i]; t++) {
        ids[i][t] = 1000 + (37 * (i + 1) * (t + 3)) % (vocab - 1000);
        mask[i][t] = 1;
      }
    }
    int[] indices = new int[b];
    for (int i = 0; i < b; i++) {
      indices[i] = i;
    }
    return new Batch(0, 0, indices, ids, new int[b][length], mask, new int[b], null, new int[b], length);
  }
}

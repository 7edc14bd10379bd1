package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.retort.core.distill.LayerPair;
import dev.retort.core.distill.LossBreakdown;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertModel;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Gelu;
import dev.retort.core.model.Taps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PretrainingKdObjectiveTest {
  private static final BertConfig TEACHER =
      BertConfig.builder()
          .setVocabSize(64)
          .setHiddenSize(24)
          .setNumLayers(4)
          .setNumHeads(12)
          .setIntermediateSize(32)
          .optMaxPositions(32)
          .optGelu(Gelu.TANH)
          .build()
          .withDropout(0f);
  private static final EfficientBertArch STUDENT =
      SmallModels.arch(12, SmallModels.PUBLISHED.subList(0, 2));

  @Test
  void teacherLayerOfStudentLayerLIsKTimesL() {
    var student = new EfficientBertModel(STUDENT, SmallModels.noDropout());
    var objective = PretrainingKdObjective.forStudent(student, 4);
    assertThat(objective.mapping().pairs())
        .containsExactly(new LayerPair(1, 2), new LayerPair(2, 4));
    TeacherSelection sel = objective.teacherSelection();
    assertThat(sel.hiddenLayers()).containsExactly(0, 2, 4);
    assertThat(sel.scoreLayers()).containsExactly(2, 4);
    assertThat(sel.logits()).isFalse();
    assertThat(objective.modules()).isEmpty();
  }

  @Test
  void lossIsMaskedAttentionMsePlusProjectedHiddenMseIncludingEmbeddings() {
    Engine.getInstance().setRandomSeed(41);
    try (NDManager manager = NDManager.newBaseManager()) {
      var teacher = new BertModel(TEACHER);
      teacher.initializeParameters(manager);
      var student = new EfficientBertModel(STUDENT, SmallModels.noDropout());
      student.initializeParameters(manager);
      BertInput in = SmallModels.input(manager);
      ParameterStore ps = new ParameterStore(manager, false);
      BertOutputs t = teacher.forward(ps, in, Taps.DISTILLATION, false);
      BertOutputs s = student.forward(ps, in, Taps.DISTILLATION, false);

      LossBreakdown loss = PretrainingKdObjective.forStudent(student, 4).compute(ps, s, t, false);

      float[] w = student.fitDense().weight().getArray().toFloatArray(); // [24, 12]
      float[] b = student.fitDense().bias().getArray().toFloatArray(); // [24]
      double emb = projectedMse(s.hiddenStates().get(0), t.hiddenStates().get(0), w, b);
      double hid =
          projectedMse(s.hiddenStates().get(1), t.hiddenStates().get(2), w, b)
              + projectedMse(s.hiddenStates().get(2), t.hiddenStates().get(4), w, b);
      double att =
          maskedMse(s.attentionScores().get(0), t.attentionScores().get(1))
              + maskedMse(s.attentionScores().get(1), t.attentionScores().get(3));
      Map<String, Double> v = loss.values();
      assertThat(v.keySet()).containsExactly("att", "emb", "hid");
      assertThat(v.get("emb")).isCloseTo(emb, within(1e-5 * emb));
      assertThat(v.get("hid")).isCloseTo(hid, within(1e-5 * hid));
      assertThat(v.get("att")).isCloseTo(att, within(1e-5 * att));
      assertThat(loss.totalValue()).isCloseTo(emb + hid + att, within(1e-5 * (emb + hid + att)));
      // The padded keys of row 0 (-10000 on both sides) are masked, not compared.
      assertThat(att).isLessThan(100);
    }
  }

  @Test
  void gradientReachesTheSharedFitDenseAndTheStudent() {
    Engine.getInstance().setRandomSeed(42);
    try (NDManager manager = NDManager.newBaseManager()) {
      var teacher = new BertModel(TEACHER);
      teacher.initializeParameters(manager);
      var student = new EfficientBertModel(STUDENT, SmallModels.noDropout());
      student.initializeParameters(manager);
      var objective = PretrainingKdObjective.forStudent(student, 4);
      try (NDManager step = manager.newSubManager()) {
        BertInput in = SmallModels.input(step);
        ParameterStore ps = new ParameterStore(step, false);
        BertOutputs t = teacher.forward(ps, in, Taps.DISTILLATION, false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          BertOutputs s = student.forward(ps, in, Taps.DISTILLATION, true);
          gc.backward(objective.compute(ps, s, t, true).total());
        }
      }
      for (String name :
          List.of(
              "fit_dense.weight",
              "embeddings.dense.weight",
              "encoder.0.all_ffn.3.dense1.weight",
              "encoder.1.attention.self.query.weight")) {
        NDArray g = student.namedParameters().get(name).getArray().getGradient();
        assertThat(g.abs().sum().getFloat()).as(name).isGreaterThan(0f);
      }
    }
  }

  /** {@code mean((s W^T + b - t)^2)} computed in plain Java. */
  private static double projectedMse(NDArray student, NDArray teacher, float[] w, float[] b) {
    float[] s = student.toFloatArray();
    float[] t = teacher.toFloatArray();
    int hs = (int) student.getShape().get(2);
    int ht = (int) teacher.getShape().get(2);
    int positions = s.length / hs;
    double sum = 0;
    for (int p = 0; p < positions; p++) {
      for (int o = 0; o < ht; o++) {
        double y = b[o];
        for (int i = 0; i < hs; i++) {
          y += w[o * hs + i] * s[p * hs + i];
        }
        double d = y - t[p * ht + o];
        sum += d * d;
      }
    }
    return sum / (positions * ht);
  }

  /** {@code mean((mask(s) - mask(t))^2)}, mask zeroing values at or below -100. */
  private static double maskedMse(NDArray student, NDArray teacher) {
    float[] s = student.toFloatArray();
    float[] t = teacher.toFloatArray();
    double sum = 0;
    for (int i = 0; i < s.length; i++) {
      double a = s[i] <= -100 ? 0 : s[i];
      double c = t[i] <= -100 ? 0 : t[i];
      sum += (a - c) * (a - c);
    }
    return sum / s.length;
  }
}

package dev.retort.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.retort.core.engine.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerTest {

  /** A parameter whose gradient after backward of sum(w * c) is exactly c. */
  private static TrainableParameter param(NDManager m, String name, float[] w) {
    Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.OTHER).build();
    p.setArray(m.create(w, new Shape(w.length)));
    p.getArray().setRequiresGradient(true);
    return TrainableParameter.of(name, p);
  }

  private static void backward(NDManager m, TrainableParameter p, float[] c) {
    Torch.zeroGrad(p.array());
    try (GradientCollector gc = m.getEngine().newGradientCollector();
        NDManager step = m.newSubManager()) {
      gc.backward(step.create(c).mul(p.array()).sum());
    }
  }

  @Test
  void adamWMatchesTheTorchFormulaOverTwoSteps() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      float[] w0 = {0.5f, -1.0f, 2.0f};
      float[][] grads = {{0.1f, -0.2f, 0.3f}, {-0.4f, 0.05f, 0.3f}};
      TrainableParameter p = param(m, "layer.dense.weight", w0);
      assertThat(p.weightDecay()).isTrue();
      try (AdamW opt = AdamW.builder().setManager(m).optWeightDecay(0.1f).build()) {
        double[] w = {0.5, -1.0, 2.0};
        double[] mm = new double[3];
        double[] vv = new double[3];
        double lr = 0.01;
        for (int t = 1; t <= 2; t++) {
          backward(m, p, grads[t - 1]);
          opt.step(List.of(p), (float) lr);
          for (int i = 0; i < 3; i++) {
            double g = grads[t - 1][i];
            w[i] *= 1 - lr * 0.1;
            mm[i] = 0.9 * mm[i] + 0.1 * g;
            vv[i] = 0.999 * vv[i] + 0.001 * g * g;
            double denom = Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
            w[i] -= lr / (1 - Math.pow(0.9, t)) * mm[i] / denom;
          }
        }
        float[] got = p.array().toFloatArray();
        for (int i = 0; i < 3; i++) {
          assertThat((double) got[i]).isCloseTo(w[i], within(1e-6));
        }
        assertThat(opt.steps()).isEqualTo(2);
      }
    }
  }

  @Test
  void bertAdamHasNoBiasCorrectionAndClipsEachTensor() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      // Gradient norm 5 > 1: the tensor is clipped to norm 1 before the moments see it.
      float[] c = {3f, 4f};
      TrainableParameter weight = param(m, "encoder.dense.weight", new float[] {1f, 1f});
      TrainableParameter bias = param(m, "encoder.dense.bias", new float[] {1f, 1f});
      assertThat(bias.weightDecay()).isFalse();
      try (BertAdam opt = BertAdam.builder().setManager(m).build()) {
        backward(m, weight, c);
        backward(m, bias, c);
        opt.step(List.of(weight, bias), 0.1f);
        double scale = 1.0 / (5 + 1e-6);
        for (int i = 0; i < 2; i++) {
          double g = c[i] * scale;
          double mi = 0.1 * g;
          double vi = 0.001 * g * g;
          double u = mi / (Math.sqrt(vi) + 1e-6);
          assertThat((double) weight.array().toFloatArray()[i]).isCloseTo(1 - 0.1 * (u + 0.01 * 1), within(1e-6));
          assertThat((double) bias.array().toFloatArray()[i]).isCloseTo(1 - 0.1 * u, within(1e-6));
        }
      }
    }
  }

  @Test
  void globalClippingScalesAllGradientsByOneFactor() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableParameter a = param(m, "a.weight", new float[] {0f, 0f});
      TrainableParameter b = param(m, "b.weight", new float[] {0f});
      backward(m, a, new float[] {3f, 0f});
      backward(m, b, new float[] {4f});
      double norm = GradientClipping.clipGlobalNorm(List.of(a, b), 1.0);
      assertThat(norm).isCloseTo(5.0, within(1e-6));
      try (NDArray ga = a.array().getGradient(); NDArray gb = b.array().getGradient()) {
        assertThat(ga.toFloatArray()[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(gb.toFloatArray()[0]).isCloseTo(0.8f, within(1e-6f));
      }
    }
  }

  /**
   * The same parameter twice: once contiguous (updated by the fused host pass) and once as a
   * transposed, strided view of the same values (no host view: updated with engine ops).
   */
  private static TrainableParameter[] twins(NDManager m, String name, int rows, int cols, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian() * 0.5f;
    }
    Parameter fused = Parameter.builder().setName(name).setType(Parameter.Type.OTHER).build();
    fused.setArray(m.create(w, new Shape(rows, cols)));
    fused.getArray().setRequiresGradient(true);
    Parameter strided = Parameter.builder().setName(name).setType(Parameter.Type.OTHER).build();
    float[] columnMajor = new float[w.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        columnMajor[j * rows + i] = w[i * cols + j];
      }
    }
    strided.setArray(m.create(columnMajor, new Shape(cols, rows)).transpose());
    strided.getArray().setRequiresGradient(true);
    assertThat(java.util.Arrays.equals(strided.getArray().toFloatArray(), w)).as("the strided twin holds the same values").isTrue();
    assertThat(Torch.floatView(fused.getArray())).isNotNull();
    assertThat(Torch.floatView(strided.getArray())).isNull();
    return new TrainableParameter[] {TrainableParameter.of(name, fused), TrainableParameter.of(name, strided)};
  }

  private static void sameGradient(NDManager m, TrainableParameter[] twins, long seed) {
    java.util.Random r = new java.util.Random(seed);
    long n = twins[0].array().size();
    float[] c = new float[(int) n];
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) r.nextGaussian() * (i % 7 == 0 ? 3f : 0.01f);
    }
    for (TrainableParameter p : twins) {
      Torch.zeroGrad(p.array());
      try (GradientCollector gc = m.getEngine().newGradientCollector();
          NDManager step = m.newSubManager()) {
        gc.backward(step.create(c, p.array().getShape()).mul(p.array()).sum());
      }
    }
  }

  private static void assertSameWeights(TrainableParameter[] twins, long seed) {
    float[] fused = twins[0].array().toFloatArray();
    float[] strided = twins[1].array().toFloatArray();
    float[] before = new float[fused.length];
    java.util.Random r = new java.util.Random(seed);
    for (int i = 0; i < before.length; i++) {
      before[i] = (float) r.nextGaussian() * 0.5f;
    }
    int moved = 0;
    int worst = 0;
    double worstExcess = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < fused.length; i++) {
      moved += fused[i] != before[i] ? 1 : 0;
      double excess = Math.abs(fused[i] - strided[i]) - (1e-6 + 1e-6 * Math.abs(strided[i]));
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
    assertThat(fused[worst]).as("element %d, the worst", worst).isCloseTo(strided[worst], within(1e-6f + 1e-6f * Math.abs(strided[worst])));
    // A few elements may not move: an update below half an ulp of the weight rounds away.
    assertThat(moved).as("elements the updates changed").isGreaterThan(fused.length * 99 / 100);
  }

  @Test
  void bertAdamsFusedUpdateMatchesItsEngineOpUpdate() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      // 384 × 512 elements: long enough for the host loop to split it over the test's 2 threads.
      TrainableParameter[] weight = twins(m, "layer.dense.weight", 384, 512, 1);
      TrainableParameter[] bias = twins(m, "layer.dense.bias", 3, 5, 2);
      try (BertAdam fused = BertAdam.builder().setManager(m).build();
          BertAdam engine = BertAdam.builder().setManager(m).build()) {
        for (int step = 0; step < 3; step++) {
          sameGradient(m, weight, 10 + step); // norm ≫ 1: clipped
          sameGradient(m, bias, 20 + step);
          fused.step(List.of(weight[0], bias[0]), 0.01f);
          engine.step(List.of(weight[1], bias[1]), 0.01f);
        }
      }
      assertSameWeights(weight, 1);
      assertSameWeights(bias, 2);
    }
  }

  @Test
  void adamWsFusedUpdateMatchesItsEngineOpUpdate() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableParameter[] weight = twins(m, "layer.dense.weight", 384, 512, 3);
      TrainableParameter[] norm = twins(m, "layer.LayerNorm.weight", 4, 6, 4);
      try (AdamW fused = AdamW.builder().setManager(m).optWeightDecay(0.1f).build();
          AdamW engine = AdamW.builder().setManager(m).optWeightDecay(0.1f).build()) {
        for (int step = 0; step < 3; step++) {
          sameGradient(m, weight, 30 + step);
          sameGradient(m, norm, 40 + step);
          fused.step(List.of(weight[0], norm[0]), 0.01f);
          engine.step(List.of(weight[1], norm[1]), 0.01f);
        }
      }
      assertSameWeights(weight, 3);
      assertSameWeights(norm, 4);
    }
  }

  @Test
  void optimizerStepsDoNotLeakArraysIntoTheWeightsManager() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableParameter p = param(m, "x.weight", new float[] {1f, 2f, 3f});
      try (AdamW adam = AdamW.builder().setManager(m).build();
          BertAdam bert = BertAdam.builder().setManager(m).build()) {
        backward(m, p, new float[] {1f, 1f, 1f});
        adam.step(List.of(p), 0.1f);
        bert.step(List.of(p), 0.1f);
        GradientClipping.clipGlobalNorm(List.of(p), 0.5);
        int before = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
        for (int i = 0; i < 20; i++) {
          backward(m, p, new float[] {1f, -1f, 0.5f});
          GradientClipping.clipGlobalNorm(List.of(p), 0.5);
          adam.step(List.of(p), 0.1f);
          bert.step(List.of(p), 0.1f);
        }
        assertThat(((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size()).isEqualTo(before);
      }
    }
  }

  @Test
  void buildersRejectSettingsTheUpdateCannotUseAndNameTheValue() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> AdamW.builder().build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("manager");
      assertThatThrownBy(() -> BertAdam.builder().setManager(m).optBetas(0.9, 1.0).build())
          .hasMessageContaining("betas must be in [0, 1): 0.9, 1.0");
      assertThatThrownBy(() -> BertAdam.builder().setManager(m).optWeightDecay(-0.01f).build())
          .hasMessageContaining("weight decay non-negative")
          .hasMessageContaining("-0.01");
      assertThatThrownBy(() -> AdamW.builder().setManager(m).optEps(0f).build())
          .hasMessageContaining("eps must be positive");
      assertThatThrownBy(() -> BertAdam.builder().setManager(m).optMaxGradNorm(-1f).build())
          .hasMessageContaining("clipping norm");
    }
  }

  @Test
  void eachOptimizerSavesItsStateUnderItsOwnName() {
    try (NDManager m = NDManager.newBaseManager();
        AdamW adam = AdamW.builder().setManager(m).build();
        BertAdam bert = BertAdam.builder().setManager(m).build()) {
      assertThat(adam.state().source()).isEqualTo("adamw");
      assertThat(bert.state().source()).isEqualTo("bertadam");
      assertThat(bert.state().metadata()).containsEntry("step", "0");
    }
  }

  @Test
  void schedulesFollowTheirReferenceFormulas() {
    LrSchedule hf = LrSchedule.linearWarmupDecay(10, 100);
    assertThat(hf.factor(0)).isEqualTo(0.0);
    assertThat(hf.factor(5)).isEqualTo(0.5);
    assertThat(hf.factor(10)).isEqualTo(1.0);
    assertThat(hf.factor(55)).isEqualTo(0.5);
    assertThat(hf.factor(100)).isEqualTo(0.0);
    LrSchedule bert = LrSchedule.bertWarmupLinear(0.1, 100);
    assertThat(bert.factor(5)).isCloseTo(0.5, within(1e-12));
    assertThat(bert.factor(10)).isCloseTo(1.0, within(1e-12));
    assertThat(bert.factor(55)).isCloseTo(0.5, within(1e-12));
    assertThat(bert.factor(120)).isEqualTo(0.0);
  }
}

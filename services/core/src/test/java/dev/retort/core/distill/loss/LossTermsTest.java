package dev.retort.core.distill.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.retort.core.engine.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every loss term against a value worked out by hand on tiny tensors. */
class LossTermsTest {

  @BeforeAll
  static void noGrad() {
    Torch.noGradOnThisThread();
  }

  @Test
  void softCrossEntropyAveragesOverBatchAndClassesAndScalesByTSquared() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray zs = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
      NDArray zt = m.create(new float[] {3, 2, 1}, new Shape(1, 3));
      // T = 2: p_T = softmax([1.5, 1, 0.5]) = [0.50648, 0.30720, 0.18632]
      // log p_S = [0.5, 1, 1.5] - log(e^0.5 + e^1 + e^1.5) = [-1.68027, -1.18027, -0.68027]
      // sum_c -p_T log p_S = 0.85102 + 0.36258 + 0.12675 = 1.34035; mean over C = 3: 0.44678
      // times T^2 = 4: 1.78713
      float scaled = new SoftCrossEntropy(2f, true, 1f).compute(zs, zt).getFloat();
      assertThat(scaled).isCloseTo(1.78713f, within(1e-5f));
      float plain = new SoftCrossEntropy(2f, false, 1f).compute(zs, zt).getFloat();
      assertThat(plain).isCloseTo(0.44678f, within(1e-5f));
      float halved = new SoftCrossEntropy(2f, true, 2f).compute(zs, zt).getFloat();
      assertThat(halved).isCloseTo(1.78713f / 2, within(1e-5f));
    }
  }

  @Test
  void softCrossEntropyOfAFourElementBatchMatchesDoubleArithmetic() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] s = {0.3f, -1.2f, 2.0f, 0.5f, 0.1f, -0.7f, 1.1f, 0.9f};
      float[] t = {1.0f, 0.2f, -0.5f, 2.5f, 0.0f, 0.3f, -1.0f, 1.7f};
      double expected = 0;
      double temp = 3;
      for (int b = 0; b < 4; b++) {
        double[] pt = softmax(t[2 * b] / temp, t[2 * b + 1] / temp);
        double[] ps = softmax(s[2 * b] / temp, s[2 * b + 1] / temp);
        expected += -pt[0] * Math.log(ps[0]) - pt[1] * Math.log(ps[1]);
      }
      expected = expected / 8 * temp * temp; // mean over B*C = 8 elements, then T^2
      float got =
          new SoftCrossEntropy(3f, true, 1f)
              .compute(m.create(s, new Shape(4, 2)), m.create(t, new Shape(4, 2)))
              .getFloat();
      assertThat((double) got).isCloseTo(expected, within(1e-6));
    }
  }

  private static double[] softmax(double a, double b) {
    double mx = Math.max(a, b);
    double ea = Math.exp(a - mx);
    double eb = Math.exp(b - mx);
    return new double[] {ea / (ea + eb), eb / (ea + eb)};
  }

  @Test
  void attentionLossZeroesScoresAtOrBelowMinusHundredOnBothSides() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray s = m.create(new float[] {1, -10000, 2, 3}, new Shape(1, 1, 2, 2));
      NDArray t = m.create(new float[] {0, -10000, 1, -200}, new Shape(1, 1, 2, 2));
      // masked: s = [1, 0, 2, 3], t = [0, 0, 1, 0]; squared differences [1, 0, 1, 9]; mean 11/4
      assertThat(new AttentionScoreMse().compute(s, t).getFloat()).isEqualTo(2.75f);
    }
  }

  @Test
  void theBranchFreeMaskFactorIsTheEngineFormsBitForBit() {
    float t = AttentionScoreMse.MASK_THRESHOLD;
    float[] x = {
      t, Math.nextUp(t), Math.nextDown(t), -10000f, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
      Float.POSITIVE_INFINITY, Float.MAX_VALUE, Float.NaN, 0f, -0f, Float.MIN_VALUE,
      -Float.MIN_VALUE, -99.99999f, 1e-30f, 3.5f
    };
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(x);
      float[] engine = a.mul(a.gt(t).toType(DataType.FLOAT32, false)).toFloatArray();
      for (int k = 0; k < x.length; k++) {
        float keep = AttentionScoreMse.keep(x[k]);
        assertThat(Float.isNaN(keep) || keep == 0f || keep == 1f).as("factor of %s", x[k]).isTrue();
        assertThat(Float.floatToRawIntBits(x[k] * keep))
            .as("mask(%s)", x[k])
            .isEqualTo(Float.floatToRawIntBits(engine[k]));
      }
    }
  }

  @Test
  void attentionLossPassesNoGradientThroughMaskedScores() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray s = m.create(new float[] {1, -10000, 2, 3}, new Shape(1, 1, 2, 2));
      s.setRequiresGradient(true);
      NDArray t = m.create(new float[] {0, -10000, 1, 0}, new Shape(1, 1, 2, 2));
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        gc.backward(new AttentionScoreMse().compute(s, t));
      }
      // d/ds mean((s - t)^2) = 2 (s - t) / 4 where unmasked, 0 where masked.
      assertThat(s.getGradient().toFloatArray()).containsExactly(0.5f, 0f, 0.5f, 1.5f);
    }
  }

  @Test
  void hiddenAndEmbeddingLossesAreTheMeanOverEveryElement() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray s = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 2, 3));
      NDArray t = m.create(new float[] {1, 1, 1, 1, 1, 1}, new Shape(1, 2, 3));
      // squares 0, 1, 4, 9, 16, 25 -> 55 / 6
      assertThat(new HiddenStateMse().compute(s, t).getFloat()).isCloseTo(55f / 6, within(1e-6f));
      assertThat(new EmbeddingMse().compute(s, t).getFloat()).isCloseTo(55f / 6, within(1e-6f));
    }
  }

  @Test
  void patientLossIsTheMeanOverBatchAndWidthOfTheNormalisedClsDifferences() {
    try (NDManager m = NDManager.newBaseManager()) {
      // [B=2, L=2, H=2]; only position 0 counts. Student [CLS]: (3, 4) and (1, 0); teacher: (0, 2)
      // and (0, 1). Normalised: (0.6, 0.8), (1, 0) against (0, 1), (0, 1).
      NDArray s = m.create(new float[] {3, 4, 9, 9, 1, 0, 9, 9}, new Shape(2, 2, 2));
      NDArray t = m.create(new float[] {0, 2, 5, 5, 0, 1, 5, 5}, new Shape(2, 2, 2));
      // squares: 0.36, 0.04 | 1, 1 -> 2.4 / 4 elements (PKD's F.mse_loss)
      assertThat(new PatientLoss().compute(s, t).getFloat()).isCloseTo(0.6f, within(1e-6f));
    }
  }

  @Test
  void hardCrossEntropyIsMinusLogProbabilityOfTheGoldClass() {
    try (NDManager m = NDManager.newBaseManager()) {
      // softmax([0, ln 3]) = [1/4, 3/4]; labels 1 and 0: (-ln 3/4 - ln 1/4) / 2
      NDArray z = m.create(new float[] {0, (float) Math.log(3), 0, (float) Math.log(3)}, new Shape(2, 2));
      NDArray y = m.create(new long[] {1, 0});
      double expected = (-Math.log(0.75) - Math.log(0.25)) / 2;
      assertThat((double) new HardCrossEntropy().compute(z, y).getFloat()).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void regressionLossReshapesTheTarget() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray z = m.create(new float[] {1.5f, 3f}, new Shape(2, 1));
      NDArray gold = m.create(new float[] {1f, 4f});
      assertThat(new RegressionMse(RegressionMse.GOLD).compute(z, gold).getFloat()).isEqualTo(0.625f);
    }
  }

  @Test
  void transportLossIsTheFlowWeightedSumOfDistances() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray d = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      double[][] f = {{0.5, 0, 0}, {0, 0.25, 0.25}};
      // 0.5*1 + 0.25*5 + 0.25*6 = 3.25
      assertThat(new TransportLoss("att").compute(d, f).getFloat()).isEqualTo(3.25f);
    }
  }
}

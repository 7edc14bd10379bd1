package dev.retort.core.distill.emd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.retort.core.distill.emd.CostAttention.Guard;
import dev.retort.core.distill.emd.CostAttention.Normalisation;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CostAttentionTest {

  // Worked example, M = 2 student layers, N = 3 teacher layers.
  //   w_S = (0.5, 0.5), w_T = (0.25, 0.5, 0.25)
  //   F   = [[0.25, 0.25, 0   ],      (row sums 0.5, 0.5; column sums 0.25, 0.5, 0.25)
  //          [0,    0.25, 0.25]]
  // Attention distances D_A = [[1, 2, 4], [3, 4, 2]]:
  //   student c = (0.25*1 + 0.25*2, 0.25*4 + 0.25*2)      = (0.75, 1.5)
  //           C̄ = c / w_S = (1.5, 3),  ΣC̄ = 4.5
  //           ŵ = 4.5 / C̄ = (3, 1.5)
  //   teacher c = (0.25*1, 0.25*2 + 0.25*4, 0.25*2)       = (0.25, 1.5, 0.5)
  //           C̄ = c / w_T = (1, 3, 2),  ΣC̄ = 6
  //           ŵ = 6 / C̄ = (6, 2, 3)
  //   V2022: w_S^A = (3, 1.5)/4.5 = (2/3, 1/3);  w_T^A = (6, 2, 3)/11 = (6/11, 2/11, 3/11)
  //   V2020, T: w_S^A = softmax((3, 1.5)/T);  w_T^A = softmax((6, 2, 3)/T)
  // Hidden distances D_H = 2 everywhere:
  //   student c = (1, 1), C̄ = (2, 2), ŵ = (2, 2);  teacher c = (0.5, 1, 0.5), C̄ = (2, 2, 2),
  //   ŵ = (3, 3, 3).  V2022: w_S^H = (1/2, 1/2), w_T^H = (1/3, 1/3, 1/3); V2020: the same (softmax
  //   of a constant vector is uniform).
  // Averaged, V2022: w_S = ((2/3 + 1/2)/2, (1/3 + 1/2)/2) = (7/12, 5/12)
  //                  w_T = ((6/11 + 1/3)/2, (2/11 + 1/3)/2, (3/11 + 1/3)/2) = (29, 17, 20)/66
  // Averaged, V2020: w_S = softmax(((w_S^A + 1/2) / 2)), w_T = softmax((w_T^A + 1/3) / 2); at T = 1
  //   that is w_S = softmax((0.65879, 0.34121)) = (0.578733, 0.421267)
  //   and     w_T = (0.440041, 0.277917, 0.282042) (numpy, official formulas).
  private static final double[] W_S = {0.5, 0.5};
  private static final double[] W_T = {0.25, 0.5, 0.25};
  private static final double[][] F = {{0.25, 0.25, 0}, {0, 0.25, 0.25}};
  private static final double[][] D_A = {{1, 2, 4}, {3, 4, 2}};
  private static final double[][] D_H = {{2, 2, 2}, {2, 2, 2}};
  private static final EmdLayerWeights START = EmdLayerWeights.shared(W_S, W_T);

  @Test
  void workedExampleSumNormalisationSeparate() {
    CostAttention ca = official(Normalisation.V2022_SUM, 1).toBuilder().optSeparate(true).build();
    EmdLayerWeights w = ca.update(START, F, D_A, F, D_H);
    assertThat(w.studentAtt()).containsExactly(new double[] {2.0 / 3, 1.0 / 3}, within(1e-15));
    assertThat(w.teacherAtt())
        .containsExactly(new double[] {6.0 / 11, 2.0 / 11, 3.0 / 11}, within(1e-15));
    assertThat(w.studentHid()).containsExactly(0.5, 0.5);
    assertThat(w.teacherHid())
        .containsExactly(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, within(1e-15));
    assertThat(w.isShared()).isFalse();
  }

  @Test
  void workedExampleSumNormalisationAveraged() {
    EmdLayerWeights w = official(Normalisation.V2022_SUM, 1).update(START, F, D_A, F, D_H);
    assertThat(w.studentAtt()).containsExactly(new double[] {7.0 / 12, 5.0 / 12}, within(1e-15));
    assertThat(w.teacherAtt())
        .containsExactly(new double[] {29.0 / 66, 17.0 / 66, 20.0 / 66}, within(1e-15));
    assertThat(w.isShared()).isTrue();
    // The safe default gives the same numbers when no guard fires.
    assertThat(CostAttention.create().update(START, F, D_A, F, D_H).studentAtt())
        .containsExactly(new double[] {7.0 / 12, 5.0 / 12}, within(1e-15));
  }

  @Test
  void workedExampleSoftmaxNormalisation() {
    for (double t : new double[] {1, 2}) {
      CostAttention sep =
          official(Normalisation.V2020_SOFTMAX, t).toBuilder().optSeparate(true).build();
      EmdLayerWeights w = sep.update(START, F, D_A, F, D_H);
      // Separate: per-EMD softmax, then the extra softmax (T = 1) on each vector.
      double[] sA = softmax(3 / t, 1.5 / t);
      double[] tA = softmax(6 / t, 2 / t, 3 / t);
      assertThat(w.studentAtt()).containsExactly(softmax(sA[0], sA[1]), within(1e-15));
      assertThat(w.teacherAtt()).containsExactly(softmax(tA[0], tA[1], tA[2]), within(1e-15));
      assertThat(w.studentHid()).containsExactly(new double[] {0.5, 0.5}, within(1e-15));

      EmdLayerWeights avg = official(Normalisation.V2020_SOFTMAX, t).update(START, F, D_A, F, D_H);
      double[] s = softmax((sA[0] + 0.5) / 2, (sA[1] + 0.5) / 2);
      double third = 1.0 / 3;
      double[] tt = softmax((tA[0] + third) / 2, (tA[1] + third) / 2, (tA[2] + third) / 2);
      assertThat(avg.studentAtt()).containsExactly(s, within(1e-15));
      assertThat(avg.teacherAtt()).containsExactly(tt, within(1e-15));
      if (t == 1) { // the decimals printed by numpy for the same formulas
        assertThat(avg.studentAtt())
            .containsExactly(new double[] {0.57873302, 0.42126698}, within(1e-8));
        assertThat(avg.teacherAtt())
            .containsExactly(new double[] {0.44004125, 0.27791703, 0.28204172}, within(1e-8));
      }
    }
  }

  // Fixture: M = 4, N = 12, w_S = (0.1, 0.2, 0.3, 0.4), w_T below, F = outer(w_S, w_T),
  // D_A[i][j] = ((7i + 5j) % 11 + 1) * 0.125 + (12i + j) * 0.001,
  // D_H[i][j] = ((3i + 2j) % 7 + 1) * 0.25 + ((i + 1)(j + 2)) * 0.0005.
  // Expected values: numpy 2.4 float64 running the official get_new_layer_weight on the padded
  // (M+N)x(M+N) matrices, then the averaging (and add_softmax for V2020), printed with float.hex().
  private static final double[] FIX_T = {
    0.05, 0.05, 0.1, 0.1, 0.05, 0.15, 0.1, 0.05, 0.1, 0.05, 0.1, 0.1
  };
  private static final double[] FIX_S = {0.1, 0.2, 0.3, 0.4};

  @Test
  void officialSumUpdateMatchesNumpyBitForBit() {
    EmdLayerWeights w = fixtureUpdate(Normalisation.V2022_SUM, 1);
    assertThat(w.studentAtt())
        .containsExactly(
            0x1.0657dbb85c04ep-2, 0x1.ff5140c965403p-3, 0x1.0520bdab00fd2p-2, 0x1.e9bd8c6fe0bbcp-3);
    assertThat(w.teacherAtt())
        .containsExactly(
            0x1.2a866955e92bap-4,
            0x1.53b51d6b55738p-4,
            0x1.17210488c12adp-4,
            0x1.7edf23f381e89p-4,
            0x1.7371d97eb135fp-4,
            0x1.2c8ebec2f3c0dp-4,
            0x1.9c8d94bccc0cap-4,
            0x1.684e13b2cd4bep-4,
            0x1.246711488e820p-4,
            0x1.873403e095ac8p-4,
            0x1.3e887edc280b0p-4,
            0x1.5cc47c0bf3c51p-4);
  }

  @Test
  void officialSoftmaxUpdateMatchesNumpyToAFewUlps() {
    EmdLayerWeights w = fixtureUpdate(Normalisation.V2020_SOFTMAX, 5);
    double[] s = {
      0x1.014e907b943c2p-2, 0x1.ffc9581342599p-3, 0x1.0101289fede9ep-2, 0x1.fb9735b5b95a2p-3
    };
    double[] t = {
      0x1.4b8fb7d383b57p-4, 0x1.51aed82b0208ap-4, 0x1.48fe408fa8174p-4, 0x1.5c2a2866c0c59p-4,
      0x1.5b02d57679e4fp-4, 0x1.4c38a7d0d9578p-4, 0x1.65969bcb7c77bp-4, 0x1.56f6751bf1d8fp-4,
      0x1.4b0836af8a862p-4, 0x1.68edc46d2c9c9p-4, 0x1.4e64495dd216dp-4, 0x1.57763461c69e9p-4
    };
    assertThat(w.studentAtt()).containsExactly(s, within(4 * Math.ulp(0.25)));
    assertThat(w.teacherAtt()).containsExactly(t, within(4 * Math.ulp(0.0625)));
  }

  @Test
  void officialGuardTurnsAZeroWeightLayerIntoNaNLikeNumpy() {
    // A student layer with weight 0 ships nothing: C̄ = 0/0 = NaN, and the NaN spreads through
    // ΣC̄ to every student weight; the teacher side stays finite (numpy gives the same).
    double[] ws = {0.5, 0.5, 0, 0};
    EmdLayerWeights start = EmdLayerWeights.shared(ws, FIX_T);
    double[][] f = outer(ws, FIX_T);
    EmdLayerWeights w =
        official(Normalisation.V2022_SUM, 1).update(start, f, fixtureDa(), f, fixtureDh());
    assertThat(list(w.studentAtt())).allMatch(x -> x.isNaN());
    assertThat(list(w.teacherAtt())).allMatch(x -> Double.isFinite(x));
    assertThat(w.teacherAtt()[0]).isCloseTo(0.11049836, within(1e-8));
    assertThat(w.isFinite()).isFalse();
  }

  @Test
  void officialGuardGivesNaNWhenEveryCostIsZero() {
    double[][] zero = new double[4][12];
    double[][] f = outer(FIX_S, FIX_T);
    EmdLayerWeights w =
        official(Normalisation.V2022_SUM, 1)
            .update(EmdLayerWeights.shared(FIX_S, FIX_T), f, zero, f, zero);
    assertThat(list(w.studentAtt())).allMatch(x -> x.isNaN());
    assertThat(list(w.teacherAtt())).allMatch(x -> x.isNaN());
  }

  @Test
  void zeroCostLayerGetsWeightZeroThenNaNOfficiallyButTheFloorSafely() {
    double[][] dz = fixtureDa();
    dz[0] = new double[12];
    double[][] f = outer(FIX_S, FIX_T);
    EmdLayerWeights start = EmdLayerWeights.shared(FIX_S, FIX_T);
    CostAttention official = official(Normalisation.V2022_SUM, 1);
    EmdLayerWeights w1 = official.update(start, f, dz, f, dz);
    assertThat(w1.studentAtt()[0]).isZero();
    assertThat(w1.studentAtt()[1]).isCloseTo(0.33973879, within(1e-8)); // numpy
    double[][] f2 = outer(w1.studentAtt(), w1.teacherAtt());
    assertThat(list(official.update(w1, f2, dz, f2, dz).studentAtt())).allMatch(x -> x.isNaN());

    CostAttention safe = CostAttention.create();
    EmdLayerWeights s1 = safe.update(start, f, dz, f, dz);
    assertThat(s1.studentAtt()[0]).isCloseTo(1e-8, within(1e-15));
    assertThat(sum(s1.studentAtt())).isCloseTo(1, within(1e-15));
    double[][] g2 = outer(s1.studentAtt(), s1.teacherAtt());
    assertThat(safe.update(s1, g2, dz, g2, dz).isFinite()).isTrue();
  }

  @Test
  void safeGuardGivesAZeroWeightLayerNoCreditButKeepsItAlive() {
    double[] ws = {0.5, 0.5, 0, 0};
    double[][] f = outer(ws, FIX_T);
    EmdLayerWeights w =
        CostAttention.create()
            .update(EmdLayerWeights.shared(ws, FIX_T), f, fixtureDa(), f, fixtureDh());
    assertThat(w.isFinite()).isTrue();
    assertThat(w.studentAtt()[2]).isCloseTo(1e-8, within(1e-15));
    assertThat(w.studentAtt()[3]).isCloseTo(1e-8, within(1e-15));
    assertThat(sum(w.studentAtt())).isCloseTo(1, within(1e-15));
  }

  @Test
  void safeGuardKeepsThePreviousWeightsWhenEveryCostIsZero() {
    double[][] zero = new double[4][12];
    double[][] f = outer(FIX_S, FIX_T);
    EmdLayerWeights start = EmdLayerWeights.shared(FIX_S, FIX_T);
    EmdLayerWeights w = CostAttention.create().update(start, f, zero, f, zero);
    assertThat(w.studentAtt()).containsExactly(FIX_S, within(1e-15));
    assertThat(w.teacherAtt()).containsExactly(FIX_T, within(1e-15));
  }

  @Test
  void safeWeightsAlwaysSumToOneOverATrainingLikeLoop() {
    Random rnd = new Random(42);
    TransportSolver solver = TransportSolver.create();
    for (Normalisation norm : Normalisation.values()) {
      for (boolean separate : new boolean[] {false, true}) {
        CostAttention ca =
            CostAttention.builder()
                .optNormalisation(norm)
                .optSeparate(separate)
                .optTemperature(1 + rnd.nextInt(10))
                .build();
        int m = 4 + 2 * rnd.nextInt(2);
        EmdLayerWeights w = ca.initial(m, 12);
        for (int step = 0; step < 100; step++) {
          double[][] da = randomDistances(rnd, m, 12);
          double[][] dh = randomDistances(rnd, m, 12);
          double[][] fa = solver.solve(w.studentAtt(), w.teacherAtt(), da).flow();
          double[][] fh = solver.solve(w.studentHid(), w.teacherHid(), dh).flow();
          w = ca.update(w, fa, da, fh, dh);
          for (double[] v :
              new double[][] {w.studentAtt(), w.teacherAtt(), w.studentHid(), w.teacherHid()}) {
            assertThat(sum(v)).isCloseTo(1, within(1e-14));
            assertThat(list(v)).allMatch(x -> x >= 1e-8 * (1 - 1e-6));
          }
          if (!separate) {
            assertThat(w.isShared()).isTrue();
          }
        }
      }
    }
  }

  @Test
  void aMissingEmdEntersTheAverageWithItsPreviousWeights() {
    // Official use_rep=False: only the attention EMD updates; the average mixes in the old weights.
    EmdLayerWeights w = official(Normalisation.V2022_SUM, 1).update(START, F, D_A, null, null);
    assertThat(w.studentAtt())
        .containsExactly(new double[] {(2.0 / 3 + 0.5) / 2, (1.0 / 3 + 0.5) / 2}, within(1e-15));
    CostAttention sep = CostAttention.builder().optSeparate(true).build();
    EmdLayerWeights s = sep.update(START, null, null, F, D_H);
    assertThat(s.studentAtt()).containsExactly(W_S);
    assertThat(s.teacherAtt()).containsExactly(W_T);
  }

  @Test
  void badInputsAreRejected() {
    CostAttention ca = CostAttention.create();
    assertThatThrownBy(() -> ca.update(START, F, new double[][] {{1, 2}, {3, 4}}, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attention distance row 0 has 2 entries, expected 3");
    assertThatThrownBy(() -> ca.update(START, F, null, null, null))
        .hasMessageContaining("both be given");
    double[][] neg = {{1, 2, -4}, {3, 4, 2}};
    assertThatThrownBy(() -> ca.update(START, F, neg, null, null))
        .hasMessageContaining("D[0][2] = -4.0");
    assertThatThrownBy(() -> CostAttention.builder().optTemperature(0).build())
        .hasMessageContaining("T_emd");
    assertThatThrownBy(() -> CostAttention.builder().optMinWeight(0).build())
        .hasMessageContaining("min weight");
    // OFFICIAL accepts what numpy would and lets NaN through.
    double[][] nan = {{1, 2, Double.NaN}, {3, 4, 2}};
    assertThat(official(Normalisation.V2022_SUM, 1).update(START, F, nan, null, null).isFinite())
        .isFalse();
  }

  private static CostAttention official(Normalisation norm, double t) {
    return CostAttention.builder()
        .optGuard(Guard.OFFICIAL)
        .optNormalisation(norm)
        .optTemperature(t)
        .build();
  }

  private static EmdLayerWeights fixtureUpdate(Normalisation norm, double t) {
    double[][] f = outer(FIX_S, FIX_T);
    return official(norm, t)
        .update(EmdLayerWeights.shared(FIX_S, FIX_T), f, fixtureDa(), f, fixtureDh());
  }

  private static double[][] fixtureDa() {
    double[][] d = new double[4][12];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 12; j++) {
        d[i][j] = ((i * 7 + j * 5) % 11 + 1) * 0.125 + (i * 12 + j) * 0.001;
      }
    }
    return d;
  }

  private static double[][] fixtureDh() {
    double[][] d = new double[4][12];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 12; j++) {
        d[i][j] = ((i * 3 + j * 2) % 7 + 1) * 0.25 + ((i + 1) * (j + 2)) * 0.0005;
      }
    }
    return d;
  }

  private static double[][] outer(double[] a, double[] b) {
    double[][] f = new double[a.length][b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        f[i][j] = a[i] * b[j];
      }
    }
    return f;
  }

  private static double[][] randomDistances(Random rnd, int m, int n) {
    double[][] d = new double[m][n];
    for (double[] row : d) {
      for (int j = 0; j < n; j++) {
        row[j] = rnd.nextInt(10) == 0 ? 0 : rnd.nextDouble();
      }
    }
    if (rnd.nextInt(20) == 0) {
      d[rnd.nextInt(m)] = new double[n]; // a perfectly matched student layer now and then
    }
    return d;
  }

  /** Plain softmax with the max subtracted, written out independently of the code under test. */
  private static double[] softmax(double... x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double[] e = new double[x.length];
    double s = 0;
    for (int k = 0; k < x.length; k++) {
      e[k] = Math.exp(x[k] - max);
      s += e[k];
    }
    for (int k = 0; k < x.length; k++) {
      e[k] /= s;
    }
    return e;
  }

  private static List<Double> list(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }
}

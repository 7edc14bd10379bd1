package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GbdtClassifierTest {

  @Test
  void smileGradientBoostingLearnsAThresholdOffline() {
    Random rnd = new Random(3);
    double[][] x = new double[120][];
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {rnd.nextInt(10), rnd.nextInt(10), rnd.nextInt(10)};
      y[i] = x[i][2] > 4 ? 1 : 0;
    }
    GbdtClassifier g = GbdtClassifier.fit(x, y, GbdtParams.defaults(), 1);
    assertThat(g.error(x, y)).isZero();
    assertThat(g.predict(new double[] {0, 0, 9})).isEqualTo(1);
    assertThat(g.predict(new double[] {9, 9, 0})).isEqualTo(0);
  }

  @Test
  void fitsAreReproducibleForASeedEvenWithSubsampling() {
    Random rnd = new Random(4);
    double[][] x = new double[80][];
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {rnd.nextDouble(), rnd.nextDouble()};
      y[i] = x[i][0] + 0.3 * rnd.nextGaussian() > 0.5 ? 1 : 0; // noisy: trees differ by sample
    }
    GbdtParams p = new GbdtParams(30, 4, 8, 1, 0.2, 0.6);
    GbdtClassifier a = GbdtClassifier.fit(x, y, p, 9);
    GbdtClassifier b = GbdtClassifier.fit(x, y, p, 9);
    for (int i = 0; i < 200; i++) {
      double[] q = {rnd.nextDouble(), rnd.nextDouble()};
      assertThat(a.predict(q)).isEqualTo(b.predict(q));
    }
  }

  @Test
  void singleClassGivesAConstantClassifier() {
    GbdtClassifier g =
        GbdtClassifier.fit(new double[][] {{1}, {2}}, new int[] {1, 1}, GbdtParams.defaults(), 0);
    assertThat(g.predict(new double[] {-5})).isEqualTo(1);
  }

  @Test
  void tunerFallsBackToDefaultsOnTinySamples() {
    double[][] x = {{0}, {1}, {2}, {3}};
    int[] y = {0, 0, 1, 1};
    GbdtClassifier g = GbdtTuner.reference().fit(x, y, 5);
    assertThat(g.error(x, y)).isLessThanOrEqualTo(0.5);
  }
}

package dev.retort.core.distill.emd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NumpyMathTest {

  @Test
  void sumFollowsNumpysPairwiseOrderNotLeftToRight() {
    // Expected values: float(np.sum(np.array(a))).hex() with numpy 2.4; a left-to-right sum gives
    // 0x1.5533333333333p+4 for the first array and 0x1.e00000000002cp+4 for the second.
    double[] a = {
      1e16, 1.0, -1e16, 1.0, 3.0, 1e-3, 2.5, 1e16, 7.0, 1.0, -1e16, 0.1, 0.2, 0.3, 1e15, -1e15, 0.7,
      5.0, 1.0, 2.0
    };
    assertThat(NumpyMath.sum(a)).isEqualTo(0x1.8b33333333333p+4);
    double[] b = new double[300]; // longer than one 128-element block: split in halves
    Arrays.fill(b, 0.1);
    assertThat(NumpyMath.sum(b)).isEqualTo(0x1.dffffffffffffp+4);
  }

  @Test
  void shortSumsAreLeftToRightAndKeepNegativeZero() {
    assertThat(NumpyMath.sum(new double[] {0.1, 0.2, 0.3})).isEqualTo((0.1 + 0.2) + 0.3);
    assertThat(Double.doubleToRawLongBits(NumpyMath.sum(new double[] {-0.0, -0.0})))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void softmaxIsStableAndPropagatesNaN() {
    double[] p = NumpyMath.softmax(new double[] {1000, 1000, 999});
    double e = Math.exp(-1);
    assertThat(p).containsExactly(1 / (2 + e), 1 / (2 + e), e / (2 + e));
    assertThat(NumpyMath.softmax(new double[] {1, Double.NaN, 2})).containsOnly(Double.NaN);
  }
}

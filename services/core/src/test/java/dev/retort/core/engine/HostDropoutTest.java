package dev.retort.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HostDropoutTest {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** The documented mask, element by element, from the JDK's own SplitMix64. */
  private static float[] referenceMask(int n, long key, float p) {
    int threshold = Math.round(p * (1 << 24));
    float scale = 1f / (1f - p);
    float[] mask = new float[n];
    for (int k = 0; k < n; k += 2) {
      long z = new SplittableRandom(key + k * GOLDEN).nextLong();
      mask[k] = ((int) (z >>> 8) & 0xFFFFFF) >= threshold ? scale : 0f;
      if (k + 1 < n) {
        mask[k + 1] = (int) (z >>> 40) >= threshold ? scale : 0f;
      }
    }
    return mask;
  }

  private static float[] fill(int n, long key, float p, int threads) {
    FloatBuffer view =
        ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    HostDropout.fill(view, key, p, threads);
    float[] out = new float[n];
    view.get(0, out);
    return out;
  }

  @Test
  void theMaskIsTheDocumentedHashOfEachIndexWhateverTheThreadCount() {
    int n = 40 * 4096 + 4097; // many stripes, the last one short and odd
    long key = 0x1234_5678_9ABCL;
    float[] expected = referenceMask(n, key, 0.1f);
    assertThat(fill(n, key, 0.1f, 1)).containsExactly(expected);
    assertThat(fill(n, key, 0.1f, 3)).containsExactly(expected);
    assertThat(fill(n, key + 1, 0.1f, 1)).isNotEqualTo(expected);
  }

  @Test
  void eachElementIsKeptWithProbabilityOneMinusPAndScaledByItsInverse() {
    int n = 1 << 20;
    for (float p : new float[] {0.1f, 0.5f, 0.9f}) {
      float[] mask = fill(n, 99L, p, 2);
      int kept = 0;
      int keptAfterKept = 0;
      for (int k = 0; k < n; k++) {
        if (mask[k] != 0) {
          assertThat(mask[k]).isEqualTo(1f / (1f - p));
          kept++;
          if (k > 0 && mask[k - 1] != 0) {
            keptAfterKept++;
          }
        }
      }
      double q = 1 - p;
      double sigma = Math.sqrt(n * q * (1 - q));
      assertThat((double) kept).as("kept at p=%s", p).isCloseTo(n * q, offset(5 * sigma));
      // neighbours (the two halves of one hash, and adjacent hashes) are independent
      assertThat((double) keptAfterKept)
          .as("kept pairs at p=%s", p)
          .isCloseTo(n * q * q, offset(5 * Math.sqrt(n * q * q)));
    }
  }

  @Test
  void theGradientIsTheMaskAndTheOutputIsTheInputTimesTheMask() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(3, 70_000));
      x.setRequiresGradient(true);
      float[] out;
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray y = HostDropout.apply(x, 0.25f, true);
        out = y.toFloatArray();
        gc.backward(y.sum());
      }
      float[] in = x.toFloatArray();
      float[] grad = x.getGradient().toFloatArray();
      int dropped = 0;
      for (int k = 0; k < in.length; k++) {
        assertThat(grad[k]).isIn(0f, 1f / 0.75f);
        assertThat(out[k]).isEqualTo(in[k] * grad[k]);
        dropped += grad[k] == 0 ? 1 : 0;
      }
      assertThat(dropped).isBetween(in.length / 5, in.length * 3 / 10);
    }
  }

  @Test
  void reseedingTheEngineRedrawsTheSameMasks() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(1000));
      Torch.seed(7);
      float[] first = HostDropout.apply(x, 0.5f, true).toFloatArray();
      float[] second = HostDropout.apply(x, 0.5f, true).toFloatArray();
      Torch.seed(7);
      assertThat(HostDropout.apply(x, 0.5f, true).toFloatArray()).containsExactly(first);
      assertThat(HostDropout.apply(x, 0.5f, true).toFloatArray()).containsExactly(second);
      assertThat(second).isNotEqualTo(first);
    }
  }

  @Test
  void outsideTrainingOrAtZeroTheInputPassesThrough() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(4, 5));
      assertThat(HostDropout.apply(x, 0.1f, false)).isSameAs(x);
      assertThat(HostDropout.apply(x, 0f, true)).isSameAs(x);
      assertThat(HostDropout.apply(x, 1f, true).abs().max().getFloat()).isZero();
    }
  }

  @Test
  void otherTypesTakeTorchsDropout() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(2000), DataType.FLOAT64);
      NDArray y = HostDropout.apply(x, 0.5f, true);
      assertThat(y.getDataType()).isEqualTo(DataType.FLOAT64);
      assertThat(y.toDoubleArray()).containsOnly(0.0, 2.0);
    }
  }

  @Test
  void aProbabilityOutsideZeroToOneIsRejected() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(3));
      assertThatThrownBy(() -> HostDropout.apply(x, 1.5f, true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("dropout probability must be in [0, 1], got 1.5");
      assertThatThrownBy(() -> HostDropout.apply(x, Float.NaN, true))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}

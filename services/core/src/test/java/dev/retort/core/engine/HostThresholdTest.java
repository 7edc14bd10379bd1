package dev.retort.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.retort.core.distill.loss.AttentionScoreMse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HostThresholdTest {
  private static final float T = AttentionScoreMse.MASK_THRESHOLD;

  /** Scores around the threshold, padding, and the special values, over several stripes. */
  private static float[] scores(int n) {
    float[] special = {
      -100f, Math.nextDown(-100f), Math.nextUp(-100f), -10000f, -0f, 0f, 3f,
      Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -Float.MAX_VALUE
    };
    Random r = new Random(5);
    float[] x = new float[n];
    for (int k = 0; k < n; k++) {
      x[k] = k % 7 == 0 ? special[r.nextInt(special.length)] : (float) (r.nextGaussian() * 150);
    }
    return x;
  }

  private static void assertBitsEqual(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int k = 0; k < expected.length; k++) {
      assertThat(Float.floatToRawIntBits(actual[k]))
          .as("element %d: %s against %s", k, actual[k], expected[k])
          .isEqualTo(Float.floatToRawIntBits(expected[k]));
    }
  }

  @Test
  void theMaskedCopyEqualsTheEngineFormBitForBit() {
    try (NDManager m = NDManager.newBaseManager()) {
      int n = 3 * 4096 * 17 + 5; // many stripes, the last one short
      NDArray x = m.create(scores(n), new Shape(n));
      float[] engine = x.mul(x.gt(T).toType(DataType.FLOAT32, false)).toFloatArray();
      NDArray host = HostThreshold.zeroAtOrBelow(x, T);
      assertThat(host).isNotNull();
      assertBitsEqual(host.toFloatArray(), engine);
      assertBitsEqual(
          HostThreshold.indicatorAbove(x, T).toFloatArray(),
          x.gt(T).toType(DataType.FLOAT32, false).toFloatArray());
    }
  }

  @Test
  void theResultDoesNotDependOnTheThreadCount() {
    float[] x = scores(40 * 4096 + 3);
    FloatBuffer in =
        ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    in.put(0, x);
    for (boolean indicator : new boolean[] {false, true}) {
      float[][] outs = new float[2][x.length];
      int[] threads = {1, 3};
      for (int v = 0; v < 2; v++) {
        FloatBuffer out =
            ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        HostThreshold.apply(in, out, T, indicator, threads[v]);
        out.get(0, outs[v]);
      }
      assertBitsEqual(outs[1], outs[0]);
    }
  }

  @Test
  void studentScoresKeepTheirGradientOnlyAboveTheThreshold() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray s = m.create(new float[] {-10000f, -50f, -49.5f, 0f, 250f, -50.5f}, new Shape(2, 3));
      s.setRequiresGradient(true);
      float[] masked;
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray y = AttentionScoreMse.masked(s.mul(2f)); // a non-leaf that needs gradients
        masked = y.toFloatArray();
        gc.backward(y.sum());
      }
      assertThat(masked).containsExactly(-0f, -0f, -99f, 0f, 500f, -0f);
      assertThat(s.getGradient().toFloatArray()).containsExactly(0f, 0f, 2f, 2f, 2f, 0f);
    }
  }

  @Test
  void arraysWithoutAHostViewAreLeftToTheEngine() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(6f).reshape(2, 3);
      assertThat(HostThreshold.zeroAtOrBelow(x.transpose(), T)).isNull();
      assertThat(HostThreshold.indicatorAbove(x.toType(DataType.FLOAT64, false), T)).isNull();
      NDArray strided = x.sub(150f).transpose(); // [[-150, -147], [-149, -146], [-148, -145]]
      assertThat(AttentionScoreMse.maskedConstant(strided.add(50f)).toFloatArray()) // on the host
          .containsExactly(-0f, -97f, -99f, -96f, -98f, -95f);
      assertThat(
              AttentionScoreMse.maskedConstant(strided.add(50f).toType(DataType.FLOAT64, false))
                  .toDoubleArray())
          .containsExactly(-0.0, -97.0, -99.0, -96.0, -98.0, -95.0); // the engine's ops
      // likewise
      assertThat(AttentionScoreMse.maskedConstant(strided).toFloatArray()).containsOnly(-0f);
    }
  }
}

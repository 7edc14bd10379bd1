package dev.retort.core.distill.emd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.retort.core.engine.Torch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPairwiseMseTest {
  /** 17 whole stripes and a short 18th of 17 elements: two groups, the second short. */
  private static final Shape SHAPE = new Shape(17, HostPairwiseMse.STRIPE + 1);

  private static List<NDArray> tensors(NDManager m, int count, float mean) {
    List<NDArray> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      out.add(m.randomNormal(mean, 1 + k, SHAPE, ai.djl.ndarray.types.DataType.FLOAT32));
    }
    return out;
  }

  @Test
  void theValuesAreTheMeansOfTheSquaredDifferencesOverEveryStripe() {
    Torch.seed(3);
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray> s = tensors(m, 3, 0.5f);
      List<NDArray> t = tensors(m, 5, -0.25f);
      double[][] d = HostPairwiseMse.compute(s, t, false, 2);
      for (int i = 0; i < 3; i++) {
        float[] a = s.get(i).toFloatArray();
        for (int j = 0; j < 5; j++) {
          float[] b = t.get(j).toFloatArray();
          double sum = 0;
          for (int k = 0; k < a.length; k++) {
            double diff = (double) a[k] - b[k];
            sum += diff * diff;
          }
          double expected = sum / a.length;
          // Float lanes round each square and at most 16 additions: float32 accuracy.
          assertThat(d[i][j]).as("D[%d][%d]", i, j).isCloseTo(expected, within(1e-6 * expected));
        }
      }
      assertThat(s.get(0).size() % HostPairwiseMse.STRIPE).isNotZero();
    }
  }

  @Test
  void theValuesDoNotDependOnHowManyThreadsComputeThem() {
    Torch.seed(4);
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray> s = tensors(m, 2, 0f);
      List<NDArray> t = tensors(m, 3, 1f);
      double[][] one = HostPairwiseMse.compute(s, t, false, 1);
      double[][] three = HostPairwiseMse.compute(s, t, false, 3);
      for (int i = 0; i < 2; i++) {
        assertThat(three[i]).containsExactly(one[i]);
      }
    }
  }

  @Test
  void stridedOrMismatchedTensorsAreLeftToTheEngineOps() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomNormal(new Shape(4, 6));
      NDArray b = m.randomNormal(new Shape(4, 6));
      assertThat(HostPairwiseMse.compute(List.of(a), List.of(b))).isNotNull();
      assertThat(HostPairwiseMse.compute(List.of(a.transpose()), List.of(b.transpose()))).isNull();
      assertThat(HostPairwiseMse.compute(List.of(a), List.of(b.reshape(6, 4)))).isNull();
      // The engine path handles them as before.
      double[][] d = EmdDistances.pairwiseMseValues(List.of(a.transpose()), List.of(b.transpose()));
      double[][] host = HostPairwiseMse.compute(List.of(a), List.of(b));
      assertThat(d[0][0]).isCloseTo(host[0][0], within(1e-6 * host[0][0]));
    }
  }
}

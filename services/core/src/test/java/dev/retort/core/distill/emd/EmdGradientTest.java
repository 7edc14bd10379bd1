package dev.retort.core.distill.emd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.retort.core.distill.loss.AttentionScoreMse;
import dev.retort.core.distill.loss.TransportLoss;
import dev.retort.core.engine.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With the optimal flow held constant, the gradient of {@code Σ F∘D} with respect to the student
 * equals the F-weighted sum of the per-pair losses' gradients: the envelope theorem's EMD
 * subgradient, with no differentiation through the transport problem.
 */
class EmdGradientTest {

  @Test
  void gradientOfTransportLossIsFlowWeightedSumOfPairGradients() {
    Torch.noGradOnThisThread();
    int m = 3;
    int n = 5;
    try (NDManager mgr = NDManager.newBaseManager()) {
      Torch.seed(4);
      List<NDArray> s =
          tensors(m, true, i -> mgr.randomNormal(0, 1, new Shape(2, 3, 4), DataType.FLOAT64));
      List<NDArray> t =
          tensors(n, false, j -> mgr.randomNormal(0, 1, new Shape(2, 3, 4), DataType.FLOAT64));
      // The flow of a real transport problem with random weights.
      Random r = new Random(3);
      double[] a = normalised(r, m);
      double[] b = normalised(r, n);
      double[][] d = EmdDistances.toDoubles(EmdDistances.pairwiseMse(s, t).toType(DataType.FLOAT64, false));
      double[][] flow = TransportSolver.create().solve(a, b, d).flow();

      try (GradientCollector gc = mgr.getEngine().newGradientCollector(); NDManager step = mgr.newSubManager()) {
        NDArray dist = EmdDistances.pairwiseMse(s, t);
        gc.backward(new TransportLoss("hid").compute(dist, flow));
      }
      List<double[]> viaEmd = new ArrayList<>();
      for (NDArray x : s) {
        viaEmd.add(x.getGradient().toDoubleArray());
        Torch.zeroGrad(x);
      }
      // Reference: back-propagate every pair's MSE on its own, weighted by F_ij.
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          if (flow[i][j] == 0) {
            continue;
          }
          try (GradientCollector gc = mgr.getEngine().newGradientCollector()) {
            gc.backward(s.get(i).sub(t.get(j)).square().mean().mul(flow[i][j]));
          }
        }
      }
      for (int i = 0; i < m; i++) {
        double[] ref = s.get(i).getGradient().toDoubleArray();
        for (int k = 0; k < ref.length; k++) {
          assertThat(viaEmd.get(i)[k]).isCloseTo(ref[k], within(1e-12));
        }
      }
    }
  }

  @ParameterizedTest(name = "teachers strided: {0}")
  @ValueSource(booleans = {false, true})
  void lossOnTheFlowsSupportHasTheDenseValueAndGradients(boolean stridedTeachers) {
    // Contiguous float32 tensors take the host gradient (HostFlowGradient); strided teachers have
    // no host view and take the engine ops (one pair per student tensor against T̄).
    Torch.noGradOnThisThread();
    int m = 4;
    int n = 12;
    try (NDManager mgr = NDManager.newBaseManager()) {
      Torch.seed(9);
      List<NDArray> s =
          tensors(m, true, i -> mgr.randomNormal(0, 1, new Shape(2, 3, 5), DataType.FLOAT32));
      List<NDArray> t =
          tensors(n, false, j -> stridedTeachers
              ? mgr.randomNormal(0, 1, new Shape(5, 3, 2), DataType.FLOAT32).transpose(2, 1, 0)
              : mgr.randomNormal(0, 1, new Shape(2, 3, 5), DataType.FLOAT32));
      assertThat(Torch.floatView(t.get(0)) == null).isEqualTo(stridedTeachers);
      double[][] d = EmdDistances.pairwiseMseValues(s, t);
      // The graph-free values: with engine ops the dense matrix's bit for bit; on the host (these
      // CPU float32 tensors) the same means summed in double.
      double[][] dense = EmdDistances.toDoubles(EmdDistances.pairwiseMse(s, t));
      double[][] engine = EmdDistances.pairwiseMseValuesWithEngineOps(s, t);
      for (int i = 0; i < m; i++) {
        assertThat(engine[i]).containsExactly(dense[i]);
        for (int j = 0; j < n; j++) {
          assertThat(d[i][j]).isCloseTo(dense[i][j], within(1e-6 * dense[i][j]));
        }
      }
      Random r = new Random(5);
      double[][] flow = TransportSolver.create().solve(normalised(r, m), normalised(r, n), d).flow();
      int support = 0;
      for (double[] row : flow) {
        for (double f : row) {
          support += f > 0 ? 1 : 0;
        }
      }
      assertThat(support).isBetween(1, m + n - 1);

      TransportLoss term = new TransportLoss("att");
      double viaDense;
      double viaSupport;
      List<float[]> gDense = new ArrayList<>();
      try (GradientCollector gc = mgr.getEngine().newGradientCollector()) {
        NDArray l = term.compute(EmdDistances.pairwiseMse(s, t), flow);
        viaDense = l.getFloat();
        gc.backward(l);
      }
      for (NDArray x : s) {
        gDense.add(x.getGradient().toFloatArray());
        Torch.zeroGrad(x);
      }
      try (GradientCollector gc = mgr.getEngine().newGradientCollector()) {
        NDArray l = term.computeOnSupport(s, t, flow, d);
        viaSupport = l.getFloat();
        gc.backward(l);
      }
      assertThat(viaSupport).isCloseTo(viaDense, within(1e-6 * Math.abs(viaDense)));
      for (int i = 0; i < m; i++) {
        float[] g = s.get(i).getGradient().toFloatArray();
        for (int k = 0; k < g.length; k++) {
          assertThat((double) g[k]).isCloseTo(gDense.get(i)[k], within(1e-7));
        }
      }
    }
  }

  @ParameterizedTest(name = "teachers strided: {0}")
  @ValueSource(booleans = {false, true})
  void rawScoresAreMaskedInsideTheDistancesAndTheTermWithTheDenseValueAndGradients(
      boolean stridedTeachers) {
    // overRawScores masks both sides itself (on the host where the tensors have views, with engine
    // ops where the teachers are strided); the reference masks first and takes the dense loss.
    Torch.noGradOnThisThread();
    int m = 4;
    int n = 12;
    try (NDManager mgr = NDManager.newBaseManager()) {
      Torch.seed(21);
      List<NDArray> s = tensors(m, true,
          i -> padded(mgr.randomNormal(0, 60, new Shape(2, 3, 5), DataType.FLOAT32)));
      List<NDArray> t = tensors(n, false, j -> {
        NDArray x = padded(mgr.randomNormal(0, 60, new Shape(2, 3, 5), DataType.FLOAT32));
        return stridedTeachers ? strided(x) : x;
      });
      assertThat(Torch.floatView(t.get(0)) == null).isEqualTo(stridedTeachers);
      List<NDArray> sMasked = EmdDistances.masked(s);
      List<NDArray> tMasked = EmdDistances.masked(t);
      double[][] d = EmdDistances.maskedScoreMseValues(s, t);
      double[][] reference = EmdDistances.pairwiseMseValues(sMasked, tMasked);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          assertThat(d[i][j]).isCloseTo(reference[i][j], within(1e-6 * reference[i][j]));
        }
      }
      Random r = new Random(8);
      double[][] flow = TransportSolver.create().solve(normalised(r, m), normalised(r, n), d).flow();

      double viaDense;
      List<float[]> gDense = new ArrayList<>();
      try (GradientCollector gc = mgr.getEngine().newGradientCollector()) {
        NDArray l =
            new TransportLoss("att")
                .compute(EmdDistances.pairwiseMse(EmdDistances.masked(s), tMasked), flow);
        viaDense = l.getFloat();
        gc.backward(l);
      }
      for (NDArray x : s) {
        gDense.add(x.getGradient().toFloatArray());
        Torch.zeroGrad(x);
      }
      double viaRaw;
      try (GradientCollector gc = mgr.getEngine().newGradientCollector()) {
        NDArray l = TransportLoss.overRawScores("att").computeOnSupport(s, t, flow, d);
        viaRaw = l.getFloat();
        gc.backward(l);
      }
      assertThat(viaRaw).isCloseTo(viaDense, within(1e-6 * Math.abs(viaDense)));
      int maskedElements = 0;
      for (int i = 0; i < m; i++) {
        float[] g = s.get(i).getGradient().toFloatArray();
        float[] x = s.get(i).toFloatArray();
        for (int k = 0; k < g.length; k++) {
          assertThat((double) g[k])
              .as("student %d, element %d", i, k)
              .isCloseTo(gDense.get(i)[k], within(1e-6));
          if (x[k] <= AttentionScoreMse.MASK_THRESHOLD) {
            assertThat(g[k]).isZero();
            maskedElements++;
          }
        }
      }
      assertThat(maskedElements).isGreaterThan(0);
    }
  }

  /** The same values as {@code x} [2, 3, 5], in a transposed memory layout (no host view). */
  private static NDArray strided(NDArray x) {
    float[] transposed = x.transpose(2, 1, 0).toFloatArray(); // [5, 3, 2] in row-major order
    NDArray y = x.getManager().create(transposed, new Shape(5, 3, 2)).transpose(2, 1, 0);
    assertThat(y.toFloatArray()).containsExactly(x.toFloatArray());
    return y;
  }

  /** Sets the last key position of every row to the padding score, −10000. */
  private static NDArray padded(NDArray scores) {
    float[] v = scores.toFloatArray();
    long last = scores.getShape().get(scores.getShape().dimension() - 1);
    for (int k = 0; k < v.length; k++) {
      if (k % last == last - 1) {
        v[k] = -10000f;
      }
    }
    return scores.getManager().create(v, scores.getShape());
  }

  @Test
  void aTeacherThatRequiresGradientsGetsTheDenseLossesGradientsToo() {
    // Comparing a student tensor with the teachers' flow-weighted mean keeps the student's
    // gradient but not the teachers'; teachers that require gradients take one pair per flow.
    Torch.noGradOnThisThread();
    int m = 4;
    int n = 12;
    try (NDManager mgr = NDManager.newBaseManager()) {
      Torch.seed(11);
      List<NDArray> s =
          tensors(m, true, i -> mgr.randomNormal(0, 1, new Shape(2, 3, 5), DataType.FLOAT32));
      List<NDArray> t =
          tensors(n, true, j -> mgr.randomNormal(0, 1, new Shape(2, 3, 5), DataType.FLOAT32));
      double[][] d = EmdDistances.pairwiseMseValues(s, t);
      Random r = new Random(6);
      double[][] flow = TransportSolver.create().solve(normalised(r, m), normalised(r, n), d).flow();
      TransportLoss term = new TransportLoss("att");
      List<float[]> dense = new ArrayList<>();
      try (GradientCollector gc = mgr.getEngine().newGradientCollector()) {
        gc.backward(term.compute(EmdDistances.pairwiseMse(s, t), flow));
      }
      for (NDArray x : t) {
        dense.add(x.getGradient().toFloatArray());
        Torch.zeroGrad(x);
      }
      try (GradientCollector gc = mgr.getEngine().newGradientCollector()) {
        gc.backward(term.computeOnSupport(s, t, flow, d));
      }
      for (int j = 0; j < n; j++) {
        float[] g = t.get(j).getGradient().toFloatArray();
        for (int k = 0; k < g.length; k++) {
          assertThat((double) g[k]).as("teacher %d, element %d", j, k).isCloseTo(dense.get(j)[k], within(1e-7));
        }
      }
    }
  }

  /** Makes k tensors in order, each requiring a gradient when {@code trainable}. */
  private static List<NDArray> tensors(int k, boolean trainable, IntFunction<NDArray> make) {
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      NDArray x = make.apply(i);
      if (trainable) {
        x.setRequiresGradient(true);
      }
      out.add(x);
    }
    return out;
  }

  private static double[] normalised(Random r, int k) {
    double[] w = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      w[i] = 0.1 + r.nextDouble();
      sum += w[i];
    }
    for (int i = 0; i < k; i++) {
      w[i] /= sum;
    }
    return w;
  }
}

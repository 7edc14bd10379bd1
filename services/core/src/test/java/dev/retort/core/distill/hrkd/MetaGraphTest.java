package dev.retort.core.distill.hrkd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.Torch;
import dev.retort.core.tensor.HostTensor;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetaGraphTest {
  private static final int LAYERS = 3; // M + 1
  private static final int DOMAINS = 4;
  private static final int HIDDEN = 8;

  @BeforeAll
  static void noGrad() {
    Torch.noGradOnThisThread();
  }

  private static HostTensor randomTensor(long[] shape, long seed) {
    Random r = new Random(seed);
    float[] v = new float[(int) HostTensor.numel(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return HostTensor.ofFloats(shape, v);
  }

  private static GraphOptions options(boolean trained, float dropout) {
    return new GraphOptions(trained, true, 2, dropout, 0.2f, 1e-2, 0.01, 100, 0.1, 5, LAYERS, DOMAINS, HIDDEN);
  }

  @Test
  void attentionWeightsTakeTheXavierBoundOfOneLayerSlice() {
    int hidden = 32;
    try (NDManager m = NDManager.newBaseManager()) {
      Torch.seed(6);
      MetaGraph g = new MetaGraph(hidden, LAYERS, DOMAINS, 2, 0.1f, 0.2f, true);
      g.initializeParameters(m);
      // xavier_uniform_(w_attn_1[l]) on [H, H]: fans H and H.
      double bound1 = 1.414 * Math.sqrt(6.0 / (hidden + hidden));
      // xavier_uniform_(w_attn_2[l]) on [D, H, H]: fan_in H·H, fan_out D·H.
      double bound2 = 1.414 * Math.sqrt(6.0 / (hidden * hidden + DOMAINS * hidden));
      // Whole-tensor fans would give 1.414·sqrt(6/(H·H + (M+1)·H)) = 0.10 and
      // 1.414·sqrt(6/(D·H·H + (M+1)·H·H)) = 0.04; thousands of draws reach 0.95 of the bound.
      assertMaxNearBound(g.namedParameters().get("w_attn_1").getArray(), bound1);
      assertMaxNearBound(g.namedParameters().get("w_attn_2").getArray(), bound2);
    }
  }

  private static void assertMaxNearBound(NDArray w, double bound) {
    double max = 0;
    for (float x : w.toFloatArray()) {
      max = Math.max(max, Math.abs(x));
    }
    assertThat(max).isLessThanOrEqualTo(bound * (1 + 1e-6)).isGreaterThan(0.95 * bound);
  }

  @Test
  void ratiosSumToOnePerLayer() {
    try (NDManager m = NDManager.newBaseManager(); var backend = new LocalGraphBackend(options(false, 0.1f), m)) {
      GraphResult r =
          backend.evaluate(1, randomTensor(new long[] {LAYERS, DOMAINS, HIDDEN}, 1), randomTensor(new long[] {LAYERS, DOMAINS}, 2), false);
      float[] ratios = r.ratios().toFloats();
      for (int l = 0; l < LAYERS; l++) {
        double sum = 0;
        for (int d = 0; d < DOMAINS; d++) {
          assertThat(ratios[l * DOMAINS + d]).isBetween(0f, 1f);
          sum += ratios[l * DOMAINS + d];
        }
        assertThat(sum).isCloseTo(1.0, within(1e-6));
      }
      assertThat(r.prototypeGrad().shape()).containsExactly(LAYERS, DOMAINS, HIDDEN);
    }
  }

  @Test
  void prototypeGradientMatchesFiniteDifferences() {
    // float64 graph without dropout, so that central differences are exact enough.
    try (NDManager m = NDManager.newBaseManager()) {
      Torch.seed(3);
      MetaGraph g = new MetaGraph(HIDDEN, LAYERS, DOMAINS, 2, 0f, 0.2f, true);
      g.initializeParameters(m, DataType.FLOAT64);
      g.namedParameters().values().forEach(p -> p.freeze(true));
      NDArray p = m.randomNormal(0, 1, new Shape(LAYERS, DOMAINS, HIDDEN), DataType.FLOAT64);
      NDArray ell = m.randomNormal(0, 1, new Shape(LAYERS, DOMAINS), DataType.FLOAT64);
      p.setRequiresGradient(true);
      Torch.withGradMode(() -> Torch.backward(g.forward(new ParameterStore(m, false), p, false).ratios().mul(ell).sum()));
      NDArray grad = p.getGradient();
      Random rnd = new Random(9);
      for (int k = 0; k < 12; k++) {
        int l = rnd.nextInt(LAYERS);
        int d = rnd.nextInt(DOMAINS);
        int h = rnd.nextInt(HIDDEN);
        double orig = p.getDouble(l, d, h);
        double eps = 1e-6;
        double up = value(g, m, p, ell, l, d, h, orig + eps);
        double down = value(g, m, p, ell, l, d, h, orig - eps);
        set(m, p, l, d, h, orig);
        double numeric = (up - down) / (2 * eps);
        assertThat(grad.getDouble(l, d, h)).as("dL/dP[%d,%d,%d]", l, d, h).isCloseTo(numeric, within(1e-7 + 1e-6 * Math.abs(numeric)));
      }
    }
  }

  private static double value(MetaGraph g, NDManager m, NDArray p, NDArray ell, int l, int d, int h, double v) {
    set(m, p, l, d, h, v);
    try (NDManager s = m.newSubManager()) {
      return g.forward(new ParameterStore(s, false), p, false).ratios().mul(ell).sum().getDouble();
    }
  }

  private static void set(NDManager m, NDArray p, int l, int d, int h, double v) {
    try (NDManager s = m.newSubManager()) {
      p.set(new NDIndex(l, d, h), s.create(v));
    }
  }

  @Test
  void frozenGraphKeepsItsWeightsAndTrainedGraphChangesThem() {
    try (NDManager m = NDManager.newBaseManager();
        var frozen = new LocalGraphBackend(options(false, 0.1f), m);
        var trained = new LocalGraphBackend(options(true, 0.1f), m)) {
      float[] f0 = frozen.parameters().get(0).getArray().toFloatArray();
      float[] t0 = trained.parameters().get(0).getArray().toFloatArray();
      for (int step = 20; step < 23; step++) {
        HostTensor protos = randomTensor(new long[] {LAYERS, DOMAINS, HIDDEN}, step);
        HostTensor losses = randomTensor(new long[] {LAYERS, DOMAINS}, 100 + step);
        frozen.evaluate(step, protos, losses, false);
        trained.evaluate(step, protos, losses, false);
      }
      assertThat(frozen.parameters().get(0).getArray().toFloatArray()).containsExactly(f0);
      assertThat(trained.parameters().get(0).getArray().toFloatArray()).isNotEqualTo(t0);
    }
  }

  @Test
  void sameSeedAndStepGiveTheSameRatiosDropoutIncluded() {
    try (NDManager m = NDManager.newBaseManager();
        var a = new LocalGraphBackend(options(false, 0.5f), m);
        var b = new LocalGraphBackend(options(false, 0.5f), m)) {
      HostTensor protos = randomTensor(new long[] {LAYERS, DOMAINS, HIDDEN}, 4);
      HostTensor losses = randomTensor(new long[] {LAYERS, DOMAINS}, 5);
      assertThat(a.evaluate(7, protos, losses, false).ratios().toFloats())
          .containsExactly(b.evaluate(7, protos, losses, false).ratios().toFloats());
      assertThat(a.evaluate(8, protos, losses, false).ratios().toFloats())
          .isNotEqualTo(b.evaluate(7, protos, losses, false).ratios().toFloats());
    }
  }
}

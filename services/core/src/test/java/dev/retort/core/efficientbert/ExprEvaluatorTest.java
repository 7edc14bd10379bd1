package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.retort.core.RetortException;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExprEvaluatorTest {
  private static final int B = 2;
  private static final int L = 3;
  private static final int H = 4;
  private static final int FULL = 4;

  private NDManager manager;
  private final Random rnd = new Random(7);

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private float[] randoms(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) rnd.nextGaussian();
    }
    return out;
  }

  private static double geluTanh(double v) {
    return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
  }

  /** Weights in PyTorch layout, full inner width: d1w [I, H], d1b [I], d2w [H, I], d2b [H]. */
  private final class Torch {
    final float[] d1w = randoms(FULL * H);
    final float[] d1b = randoms(FULL);
    final float[] d2w = randoms(H * FULL);
    final float[] d2b = randoms(H);

    FfnSlices slices(int inner) {
      return FfnSlices.slice(
          manager.create(d1w, new Shape(FULL, H)),
          manager.create(d1b),
          manager.create(d2w, new Shape(H, FULL)),
          manager.create(d2b),
          inner);
    }

    /** Returns dense1 pre-activation for one token: sum_k x[k] d1w[j][k] + d1b[j], j < m. */
    double[] dense1(float[] x, int token, int inner) {
      double[] h = new double[inner];
      for (int j = 0; j < inner; j++) {
        h[j] = d1b[j];
        for (int k = 0; k < H; k++) {
          h[j] += x[token * H + k] * d1w[j * H + k];
        }
      }
      return h;
    }

    /** Returns dense2 for one token: sum_j g[j] d2w[i][j] + d2b[i]. */
    double[] dense2(double[] g) {
      double[] out = new double[H];
      for (int i = 0; i < H; i++) {
        out[i] = d2b[i];
        for (int j = 0; j < g.length; j++) {
          out[i] += g[j] * d2w[i * FULL + j];
        }
      }
      return out;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void standardFfnEqualsHandWrittenDenseGeluDense(int ratioIndex) {
    Torch w = new Torch();
    int inner = LinearSize.of(1, ratioIndex).innerWidth(FULL);
    String lin = "linear1_" + ratioIndex;
    Expr expr = Expr.parse(lin + "(gelu(" + lin + "(x,wb1)),wb2)");
    float[] xs = randoms(B * L * H);
    FfnSlices wb = w.slices(inner);

    NDArray out =
        ExprEvaluator.evaluate(expr, manager.create(xs, new Shape(B, L, H)), wb.wb1(), wb.wb2());

    assertThat(out.getShape()).isEqualTo(new Shape(B, L, H));
    float[] got = out.toFloatArray();
    for (int t = 0; t < B * L; t++) {
      double[] h = w.dense1(xs, t, inner);
      for (int j = 0; j < inner; j++) {
        h[j] = geluTanh(h[j]);
      }
      double[] expected = w.dense2(h);
      for (int i = 0; i < H; i++) {
        assertThat((double) got[t * H + i]).isCloseTo(expected[i], within(1e-4));
      }
    }
  }

  @Test
  void mulOfLinearAndInputTruncatesTheInputToTheInnerWidth() {
    Torch w = new Torch();
    int inner = 2;
    Expr expr = Expr.parse("linear1_2(relu(mul(linear1_2(x,wb1),x)),wb2)");
    float[] xs = randoms(B * L * H);
    FfnSlices wb = w.slices(inner);

    float[] got =
        ExprEvaluator.evaluate(expr, manager.create(xs, new Shape(B, L, H)), wb.wb1(), wb.wb2())
            .toFloatArray();

    for (int t = 0; t < B * L; t++) {
      double[] h = w.dense1(xs, t, inner);
      for (int j = 0; j < inner; j++) {
        h[j] = Math.max(0, h[j] * xs[t * H + j]); // x[..., :m]
      }
      double[] expected = w.dense2(h);
      for (int i = 0; i < H; i++) {
        assertThat((double) got[t * H + i]).isCloseTo(expected[i], within(1e-4));
      }
    }
  }

  @Test
  void binaryOpsKeepTheFirstMinWidthChannelsOfBothOperands() {
    NDArray a = manager.create(new float[] {1, -2, 3, 4, 5, -6}, new Shape(1, 2, 3));
    NDArray b =
        manager.create(new float[] {10, 20, -30, 40, 50, 60, 70, 80, 90, 100}, new Shape(1, 2, 5));

    assertThat(BinaryOp.ADD.apply(a, b).getShape()).isEqualTo(new Shape(1, 2, 3));
    assertThat(BinaryOp.ADD.apply(a, b).toFloatArray()).containsExactly(11, 18, -27, 64, 75, 74);
    assertThat(BinaryOp.MUL.apply(b, a).toFloatArray())
        .containsExactly(10, -40, -90, 240, 350, -480);
    assertThat(BinaryOp.MAX.apply(a, b).toFloatArray()).containsExactly(10, 20, 3, 60, 70, 80);
  }

  @Test
  void eachActivationMatchesItsFormula() {
    float[] vs = {-3f, -1f, -0.25f, 0f, 0.5f, 2f};
    NDArray x = manager.create(vs);
    check(Activation.GELU, x, vs, ExprEvaluatorTest::geluTanh);
    check(Activation.SIGMOID, x, vs, v -> 1 / (1 + Math.exp(-v)));
    check(Activation.TANH, x, vs, Math::tanh);
    check(Activation.RELU, x, vs, v -> Math.max(0, v));
    check(Activation.LEAKY_RELU, x, vs, v -> v >= 0 ? v : 0.01 * v);
    check(Activation.ELU, x, vs, v -> v > 0 ? v : Math.exp(v) - 1);
    check(Activation.SWISH, x, vs, v -> v / (1 + Math.exp(-v)));
  }

  private static void check(Activation a, NDArray x, float[] vs, DoubleUnaryOperator f) {
    float[] got = a.apply(x).toFloatArray();
    for (int i = 0; i < vs.length; i++) {
      assertThat((double) got[i])
          .as(a + "(" + vs[i] + ")")
          .isCloseTo(f.applyAsDouble(vs[i]), within(1e-5));
    }
  }

  @Test
  void gradientsReachOnlyTheUsedSliceOfFullSizeWeights() {
    Torch w = new Torch();
    NDArray d1w = manager.create(w.d1w, new Shape(FULL, H));
    NDArray d1b = manager.create(w.d1b);
    NDArray d2w = manager.create(w.d2w, new Shape(H, FULL));
    NDArray d2b = manager.create(w.d2b);
    NDArray x = manager.create(randoms(B * L * H), new Shape(B, L, H));
    for (NDArray p : new NDArray[] {d1w, d1b, d2w, d2b, x}) {
      p.setRequiresGradient(true);
    }
    Expr expr = Expr.parse("linear1_2(gelu(linear1_2(max(x,tanh(x)),wb1)),wb2)");
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      FfnSlices wb = FfnSlices.slice(d1w, d1b, d2w, d2b, 2);
      gc.backward(ExprEvaluator.evaluate(expr, x, wb.wb1(), wb.wb2()).sum());
    }
    float[] g1 = d1w.getGradient().toFloatArray(); // [I, H]
    float[] g2 = d2w.getGradient().toFloatArray(); // [H, I]
    for (int j = 0; j < FULL; j++) {
      for (int k = 0; k < H; k++) {
        boolean used = j < 2;
        assertThat(g1[j * H + k] != 0).as("dense1[%d][%d]", j, k).isEqualTo(used);
        assertThat(g2[k * FULL + j] != 0).as("dense2[%d][%d]", k, j).isEqualTo(used);
      }
    }
    assertThat(d1b.getGradient().toFloatArray()[3]).isZero();
    assertThat(d2b.getGradient().toFloatArray()).containsOnly((float) (B * L));
    assertThat(x.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
  }

  @Test
  void staticOutputWidthMatchesTheEvaluatedShapeForThePublishedExpressions() {
    int h = 12;
    NDArray x = manager.create(randoms(B * L * h), new Shape(B, L, h));
    NDArray d1w = manager.create(randoms(h * h), new Shape(h, h));
    NDArray d2w = manager.create(randoms(h * h), new Shape(h, h));
    NDArray d1b = manager.create(randoms(h));
    NDArray d2b = manager.create(randoms(h));
    for (String text : EfficientBertArch.PUBLISHED_FFN) {
      Expr expr = Expr.parse(text);
      int inner = ExprTrees.firstLinearSize(expr).innerWidth(h);
      FfnSlices wb = FfnSlices.slice(d1w, d1b, d2w, d2b, inner);
      NDArray out = ExprEvaluator.evaluate(expr, x, wb.wb1(), wb.wb2());
      assertThat(out.getShape().get(2))
          .isEqualTo(ExprShapes.outputWidth(expr, h, inner))
          .isEqualTo(h);
      assertThat(ExprShapes.outputWidth(Expr.parse("mul(linear1_2(x,wb1),x)"), h, inner))
          .isEqualTo(Math.min(h, inner));
    }
  }

  @Test
  void weightPairUsedAsTensorIsReportedBeforeEvaluation() {
    FfnSlices wb = new Torch().slices(4);
    NDArray x = manager.zeros(new Shape(B, L, H));
    assertThatThrownBy(
            () ->
                ExprEvaluator.evaluate(
                    Expr.parse("gelu(linear1_1(wb1,wb2))"), x, wb.wb1(), wb.wb2()))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("weight pair wb1 is used as a tensor argument");
  }

  @Test
  void linearInputWidthMismatchNamesTheNode() {
    FfnSlices wb = new Torch().slices(2);
    NDArray x = manager.zeros(new Shape(B, L, H));
    Expr expr = Expr.parse("add(gelu(linear1_2(x,wb1)),linear1_2(x,wb2))");
    assertThatThrownBy(() -> ExprEvaluator.evaluate(expr, x, wb.wb1(), wb.wb2()))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("node linear1_2(x,wb2)")
        .hasMessageContaining("width 4 but wb2's W has 2 rows");
    assertThatThrownBy(() -> ExprShapes.outputWidth(expr, H, 2))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("linear1_2(x,wb2) gets an input of width 4 but W2 has 2 rows");
  }
}

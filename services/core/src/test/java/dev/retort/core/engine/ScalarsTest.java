package dev.retort.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.retort.core.efficientbert.Activation;
import dev.retort.core.model.Activations;
import dev.retort.core.model.Gelu;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Gradients through operations with constants must not depend on the garbage collector: each trial
 * forces a collection (and reuses the freed direct memory) between the forward and the backward
 * pass. With DJL's own {@code x.mul(3f)} about a third of such trials give garbage.
 */
class ScalarsTest {
  private static final float[] X = {-2.5f, -1f, -0.3f, 0f, 0.4f, 1.2f, 3f};
  private static final int TRIALS = 8;

  @Test
  void constantOperandsSurviveAGarbageCollectionBeforeBackward() {
    // y = 3x + x/4 + x^2 + max(x, 0.5)  =>  dy/dx = 3 + 1/4 + 2x + [x > 0.5]
    float[] g =
        gradient(
            x ->
                Scalars.mul(x, 3)
                    .add(Scalars.div(x, 4))
                    .add(Scalars.pow(x, 2))
                    .add(Scalars.maximum(x, 0.5)));
    for (int i = 0; i < X.length; i++) {
      assertThat(g[i]).isCloseTo(3.25f + 2 * X[i] + (X[i] > 0.5f ? 1 : 0), within(1e-5f));
    }
  }

  @Test
  void tanhGeluGradientsAreRightAfterAGarbageCollection() {
    float[] bert = gradient(x -> Activations.gelu(x, Gelu.TANH));
    float[] efficient = gradient(Activation::geluTanh);
    for (int i = 0; i < X.length; i++) {
      assertThat(bert[i])
          .as("x = %s", X[i])
          .isCloseTo((float) geluTanhDerivative(X[i]), within(1e-5f));
      assertThat(efficient[i])
          .as("x = %s", X[i])
          .isCloseTo((float) geluTanhDerivative(X[i]), within(1e-5f));
    }
  }

  /** Returns d(sum f(x))/dx at {@link #X}, checking that every trial gives the same answer. */
  private static float[] gradient(UnaryOperator<NDArray> f) {
    float[] first = null;
    for (int t = 0; t < TRIALS; t++) {
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray x = m.create(X);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray y = f.apply(x).sum();
          System.gc();
          for (int i = 0; i < 1000; i++) {
            ByteBuffer.allocateDirect(4).putFloat(0, Float.NaN);
          }
          gc.backward(y);
        }
        float[] g = x.getGradient().toFloatArray();
        if (first == null) {
          first = g;
        }
        assertThat(g).as("trial %d", t).containsExactly(first);
      }
    }
    return first;
  }

  /** The derivative of {@code 0.5 x (1 + tanh(c (x + 0.044715 x^3)))}, c = sqrt(2 / pi). */
  private static double geluTanhDerivative(double x) {
    double c = Math.sqrt(2 / Math.PI);
    double u = c * (x + 0.044715 * x * x * x);
    double t = Math.tanh(u);
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
  }
}

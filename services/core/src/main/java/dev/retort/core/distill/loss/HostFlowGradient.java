package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.retort.core.engine.HostLoop;
import dev.retort.core.engine.Torch;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * One student tensor's transport term, {@code Σ_j F_ij · mean((S_i − T_j)²)}, with its gradient
 * computed in one pass on the host ({@link Torch#floatView}) and handed to autograd as a linear
 * surrogate.
 *
 * <p>The teacher tensors are constants, so the term's gradient is known in closed form:
 *
 * <pre>
 * G_i = ∂/∂S_i = (2/K) · (F_i · S_i − Σ_j F_ij · T_j)      F_i = Σ_j F_ij,  K = elements of S_i
 * </pre>
 *
 * Here G_i is computed in stripes on {@link HostLoop}'s threads, reading S_i and the teacher tensors
 * with flow once and writing G_i once. The engine then records one dot product, {@code d = ⟨S_i,
 * G_i⟩}, whose gradient with respect to S_i is G_i, and the term returned is {@code d − detach(d) +
 * Σ_j F_ij·D_ij}: its value is the exact one from the distances the flow was solved on, and its
 * gradient is G_i. As engine ops the same term took a weighted mean of the teacher tensors (two
 * passes per tensor), a difference, a square and a mean, and as many passes again backwards.
 */
final class HostFlowGradient {
  private HostFlowGradient() {}

  /**
   * Returns the term, or null when a tensor with flow has no host view (another device or type, a
   * strided view) or the shapes differ: the caller then uses engine ops.
   *
   * @param s S_i, differentiable
   * @param teacher the N teacher tensors, constants
   * @param flow F_i, N non-negative flows, at least one positive
   * @param distances D_i, N values {@code mean((S_i − T_j)²)} as the flow was solved on
   * @param maskScores whether S_i and T_j are raw attention scores, to be masked ({@link
   *     AttentionScoreMse#masked}) as they are read; G_i is then zero where S_i is masked
   * @return the scalar term, or null
   */
  static NDArray term(
      NDArray s, List<NDArray> teacher, double[] flow, double[] distances, boolean maskScores) {
    FloatBuffer sView = Torch.floatView(s);
    if (sView == null) {
      return null;
    }
    int support = 0;
    for (double f : flow) {
      support += f > 0 ? 1 : 0;
    }
    FloatBuffer[] tViews = new FloatBuffer[support];
    float[] weights = new float[support];
    double rowFlow = 0;
    double exact = 0;
    for (int j = 0, k = 0; j < flow.length; j++) {
      if (flow[j] > 0) {
        NDArray t = teacher.get(j);
        tViews[k] = t.getShape().equals(s.getShape()) ? Torch.floatView(t) : null;
        if (tViews[k] == null) {
          return null;
        }
        weights[k++] = (float) flow[j];
        rowFlow += flow[j];
        exact += flow[j] * distances[j];
      }
    }
    NDArray g = s.getManager().create(s.getShape(), DataType.FLOAT32, s.getDevice());
    FloatBuffer gView = Torch.floatView(g);
    if (gView == null) {
      g.close();
      return null;
    }
    fill(
        gView,
        sView,
        tViews,
        weights,
        (float) rowFlow,
        2.0 / sView.capacity(),
        maskScores,
        Torch.intraOpThreads());
    NDArray dot = s.reshape(-1).dot(g.reshape(-1)); // scalar, gradient G_i with respect to S_i
    g.close(); // the dot's graph keeps G_i for the backward pass
    NDArray exactValue = s.getManager().create((float) exact);
    return dot.sub(dot.stopGradient()).add(exactValue);
  }

  /**
   * Writes {@code g = scale · (rowFlow · s − Σ_k weights[k] · t[k])} on up to {@code threads}
   * threads; each element is computed in float in that order, so the result does not depend on
   * the thread count. With {@code mask}, s and every t[k] are masked first and g is zeroed where s
   * is masked (the mask's own derivative). Package-private for tests.
   */
  static void fill(
      FloatBuffer g,
      FloatBuffer s,
      FloatBuffer[] t,
      float[] weights,
      float rowFlow,
      double scale,
      boolean mask,
      int threads) {
    float fscale = (float) scale;
    HostLoop.forStripes(
        s.capacity(),
        threads,
        () -> new float[3][HostLoop.STRIPE],
        (scratch, start, len) -> {
          float[] acc = scratch[0];
          float[] in = scratch[1];
          float[] keep = scratch[2]; // the mask's derivative: 1 where s is kept, times the scale
          s.get(start, acc, 0, len);
          if (mask) {
            for (int e = 0; e < len; e++) {
              float k = AttentionScoreMse.keep(acc[e]);
              keep[e] = k * fscale;
              acc[e] *= k;
            }
          }
          for (int e = 0; e < len; e++) {
            acc[e] *= rowFlow;
          }
          for (int k = 0; k < t.length; k++) {
            t[k].get(start, in, 0, len);
            float w = weights[k];
            if (mask) {
              for (int e = 0; e < len; e++) {
                acc[e] -= w * (in[e] * AttentionScoreMse.keep(in[e]));
              }
            } else {
              for (int e = 0; e < len; e++) {
                acc[e] -= w * in[e];
              }
            }
          }
          if (mask) {
            for (int e = 0; e < len; e++) {
              acc[e] *= keep[e];
            }
          } else {
            for (int e = 0; e < len; e++) {
              acc[e] *= fscale;
            }
          }
          g.put(start, acc, 0, len);
        });
  }
}

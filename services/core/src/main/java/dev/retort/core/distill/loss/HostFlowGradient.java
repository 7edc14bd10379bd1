package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.retort.core.engine.HostLoop;
import dev.retort.core.engine.Torch;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The transport term {@code Σ_ij F_ij · mean((S_i − T_j)²)} over the flow's support, with every
 * student tensor's gradient computed in one pass on the host ({@link Torch#floatView}) and handed
 * to autograd as a linear surrogate.
 *
 * <p>The teacher tensors are constants, so each student tensor's gradient is known in closed form:
 *
 * <pre>
 * G_i = ∂/∂S_i = (2/K) · (F_i · S_i − Σ_j F_ij · T_j)      F_i = Σ_j F_ij,  K = elements of S_i
 * </pre>
 *
 * Here all the G_i are computed together, in stripes on {@link HostLoop}'s threads: each student
 * tensor and each teacher tensor with flow is read once, whatever the number of rows it feeds, and
 * each G_i is written once. The engine then records one dot product per row, {@code d_i = ⟨S_i,
 * G_i⟩}, whose gradient with respect to S_i is G_i, and the term returned is {@code d − detach(d) +
 * Σ_ij F_ij·D_ij} with {@code d = Σ_i d_i}: its value is the exact one from the distances the flow
 * was solved on, and its gradients are the G_i. As engine ops the same term took a weighted mean of
 * the teacher tensors (two passes per tensor), a difference, a square and a mean per row, and as
 * many passes again backwards.
 */
final class HostFlowGradient {
  private HostFlowGradient() {}

  /**
   * Returns the term, or null when a tensor with flow has no host view (another device or type, a
   * strided view) or the shapes differ: the caller then uses engine ops.
   *
   * @param student the M student tensors, differentiable
   * @param teacher the N teacher tensors, constants
   * @param flow F, M rows of N non-negative flows
   * @param distances D, M rows of N values {@code mean((S_i − T_j)²)} as the flow was solved on
   * @param maskScores whether S_i and T_j are raw attention scores, to be masked ({@link
   *     AttentionScoreMse#masked}) as they are read; G_i is then zero where S_i is masked
   * @return the scalar term, or null (also when no flow is positive)
   */
  static NDArray total(
      List<NDArray> student,
      List<NDArray> teacher,
      double[][] flow,
      double[][] distances,
      boolean maskScores) {
    List<Integer> rows = new ArrayList<>(); // student tensors with flow
    boolean[] used = new boolean[teacher.size()]; // teacher tensors with flow
    double exact = 0;
    for (int i = 0; i < flow.length; i++) {
      boolean any = false;
      for (int j = 0; j < flow[i].length; j++) {
        if (flow[i][j] > 0) {
          any = true;
          used[j] = true;
          exact += flow[i][j] * distances[i][j];
        }
      }
      if (any) {
        rows.add(i);
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    var shape = student.get(rows.get(0)).getShape();
    Rows r = new Rows(rows.size(), teacher.size());
    for (int k = 0; k < rows.size(); k++) {
      NDArray s = student.get(rows.get(k));
      r.s[k] = s.getShape().equals(shape) ? Torch.floatView(s) : null;
      if (r.s[k] == null) {
        return null;
      }
      double rowFlow = 0;
      for (int j = 0; j < teacher.size(); j++) {
        r.w[k][j] = (float) flow[rows.get(k)][j];
        rowFlow += Math.max(flow[rows.get(k)][j], 0);
      }
      r.rowFlow[k] = (float) rowFlow;
    }
    for (int j = 0; j < teacher.size(); j++) {
      if (used[j]) {
        NDArray t = teacher.get(j);
        r.t[j] = t.getShape().equals(shape) ? Torch.floatView(t) : null;
        if (r.t[j] == null) {
          return null;
        }
      }
    }
    List<NDArray> grads = new ArrayList<>();
    for (int k = 0; k < rows.size(); k++) {
      NDArray s = student.get(rows.get(k));
      NDArray g = s.getManager().create(shape, DataType.FLOAT32, s.getDevice());
      grads.add(g);
      r.g[k] = Torch.floatView(g);
      if (r.g[k] == null) {
        grads.forEach(NDArray::close);
        return null;
      }
    }
    fill(r, 2.0 / r.s[0].capacity(), maskScores, Torch.intraOpThreads());
    NDArray dots = null; // Σ_i ⟨S_i, G_i⟩, a scalar whose gradient with respect to S_i is G_i
    for (int k = 0; k < rows.size(); k++) {
      NDArray d = student.get(rows.get(k)).reshape(-1).dot(grads.get(k).reshape(-1));
      grads.get(k).close(); // the dot's graph keeps G_i for the backward pass
      dots = dots == null ? d : dots.add(d);
    }
    NDArray exactValue = dots.getManager().create((float) exact);
    return dots.sub(dots.stopGradient()).add(exactValue);
  }

  /** The views and weights of one pass: R student rows with flow, N teacher tensors. */
  private static final class Rows {
    final FloatBuffer[] s; // [R] the student tensors
    final FloatBuffer[] g; // [R] their gradients, written
    final FloatBuffer[] t; // [N] the teacher tensors with flow, else null
    final float[][] w; // [R][N] F_ij in float, 0 without flow
    final float[] rowFlow; // [R] F_i

    Rows(int rows, int teachers) {
      s = new FloatBuffer[rows];
      g = new FloatBuffer[rows];
      t = new FloatBuffer[teachers];
      w = new float[rows][teachers];
      rowFlow = new float[rows];
    }
  }

  /**
   * Writes every {@code g_k = scale · (rowFlow_k · s_k − Σ_j w_kj · t_j)} (j ascending, positive
   * weights only) on up to {@code threads} threads; each element is computed in float in that
   * order, so the result does not depend on the thread count. With {@code mask}, the s_k and t_j
   * are masked first and g_k is zeroed where s_k is masked (the mask's own derivative).
   */
  private static void fill(Rows r, double scale, boolean mask, int threads) {
    int rows = r.s.length;
    float fscale = (float) scale;
    HostLoop.forStripes(
        r.s[0].capacity(),
        threads,
        () -> new float[2 * rows + 1][HostLoop.STRIPE],
        (scratch, start, len) -> {
          float[] in = scratch[2 * rows]; // a teacher stripe, read once for every row
          for (int k = 0; k < rows; k++) {
            float[] acc = scratch[k];
            float[] keep = scratch[rows + k]; // 1 where s_k is kept, times the scale
            r.s[k].get(start, acc, 0, len);
            if (mask) {
              for (int e = 0; e < len; e++) {
                float f = AttentionScoreMse.keep(acc[e]);
                keep[e] = f * fscale;
                acc[e] *= f;
              }
            }
            float rowFlow = r.rowFlow[k];
            for (int e = 0; e < len; e++) {
              acc[e] *= rowFlow;
            }
          }
          for (int j = 0; j < r.t.length; j++) {
            if (r.t[j] == null) {
              continue;
            }
            r.t[j].get(start, in, 0, len);
            if (mask) {
              for (int e = 0; e < len; e++) {
                in[e] *= AttentionScoreMse.keep(in[e]);
              }
            }
            for (int k = 0; k < rows; k++) {
              float w = r.w[k][j];
              if (w > 0) {
                float[] acc = scratch[k];
                for (int e = 0; e < len; e++) {
                  acc[e] -= w * in[e];
                }
              }
            }
          }
          for (int k = 0; k < rows; k++) {
            float[] acc = scratch[k];
            if (mask) {
              float[] keep = scratch[rows + k];
              for (int e = 0; e < len; e++) {
                acc[e] *= keep[e];
              }
            } else {
              for (int e = 0; e < len; e++) {
                acc[e] *= fscale;
              }
            }
            r.g[k].put(start, acc, 0, len);
          }
        });
  }
}

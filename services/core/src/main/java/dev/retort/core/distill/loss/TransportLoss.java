package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The Earth Mover's Distance between student and teacher layers with the optimal flow held
 * constant (BERT-EMD, {@code emd_task_distill.py:352, :375}):
 *
 * <pre>
 * L_emd = Σ_ij F_ij · D_ij
 * </pre>
 *
 * F is solved outside autograd from the detached D, so {@code ∂L/∂D_ij = F_ij}: the exact
 * (sub)gradient of the EMD value by the envelope theorem. No normalisation by Σ F is applied (Σ F =
 * 1 anyway).
 */
public final class TransportLoss {
  private final String name;
  private final boolean maskScores;

  /**
   * Creates the term over tensors that are compared as they are (projected hidden states, or scores
   * the caller masked).
   *
   * @param name the metric tag, {@code att} or {@code hid}
   */
  public TransportLoss(String name) {
    this(name, false);
  }

  private TransportLoss(String name, boolean maskScores) {
    this.name = name;
    this.maskScores = maskScores;
  }

  /**
   * Creates the term over raw attention scores: {@link #computeOnSupport} applies the attention
   * mask ({@link AttentionScoreMse#masked}) to both sides itself, on the host as it reads them
   * where it can, so the caller need not write masked copies.
   *
   * @param name the metric tag
   * @return the term
   */
  public static TransportLoss overRawScores(String name) {
    return new TransportLoss(name, true);
  }

  /** Returns the metric tag. */
  public String name() {
    return name;
  }

  /**
   * Computes the term.
   *
   * @param distances D, [M, N], differentiable
   * @param flow F, M rows of N non-negative flows, a constant
   * @return {@code Σ F∘D}, a scalar
   */
  public NDArray compute(NDArray distances, double[][] flow) {
    long m = distances.getShape().get(0);
    long n = distances.getShape().get(1);
    if (flow.length != m || (m > 0 && flow[0].length != n)) {
      throw new IllegalArgumentException(
          "flow is " + flow.length + "x" + (m > 0 ? flow[0].length : 0) + ", distances " + distances.getShape());
    }
    double[] f = new double[(int) (m * n)];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        f[(int) (i * n + j)] = flow[i][j];
      }
    }
    NDManager manager = distances.getManager();
    // Rounded once, from double to the distances' type.
    NDArray constant = manager.create(f, new Shape(m, n)).toType(distances.getDataType(), false);
    return distances.mul(constant).sum();
  }

  /**
   * Computes the same term from the tensors, differentiating only what carries flow:
   *
   * <pre>
   * L_emd = Σ_{ij: F_ij > 0} F_ij · mean((S_i − T_j)²)
   * </pre>
   *
   * A basic optimal flow has at most M + N − 1 positive entries (15 of BERT-EMD's 48 pairs), and a
   * pair with zero flow adds exactly 0 to the loss and to every gradient.
   *
   * <p>A student tensor with flow to several teacher tensors is differentiated once, against their
   * flow-weighted mean: for {@code F_i = Σ_j F_ij} and {@code T̄_i = Σ_j F_ij·T_j / F_i},
   *
   * <pre>
   * Σ_j F_ij · mean((S_i − T_j)²) = F_i · mean((S_i − T̄_i)²) + c_i
   * </pre>
   *
   * where {@code c_i} does not depend on {@code S_i}, so both sides have the same gradient, {@code
   * 2·F_i·(S_i − T̄_i) / K}. The value is made exact with the constant {@code c_i = Σ_j F_ij·D_ij −
   * F_i · mean((S_i − T̄_i)²)}, from the distances the flow was solved on. So the backward pass goes
   * through at most M pairs (4) instead of up to 15, and value and gradients are those of {@link
   * #compute(NDArray, double[][])} up to float rounding. Teacher tensors that require a gradient
   * (none do in distillation) keep one pair per flow entry, since T̄ would change theirs.
   *
   * <p>On the CPU in float32 every student tensor's gradient is computed on the host in one pass
   * over all the tensors ({@link HostFlowGradient}), the mask of {@link #overRawScores} included,
   * and autograd records one dot product per student tensor; elsewhere the pairs above are engine
   * ops.
   *
   * @param student M tensors (projected, masked, or raw scores for {@link #overRawScores}),
   *     differentiable
   * @param teacher N tensors of the same shape, constants
   * @param flow F, M rows of N non-negative flows, a constant
   * @param distances D, M rows of N values: {@code mean((S_i − T_j)²)} (of the masked scores for
   *     {@link #overRawScores}) as the flow was solved on
   * @return the scalar loss
   */
  public NDArray computeOnSupport(
      List<NDArray> student, List<NDArray> teacher, double[][] flow, double[][] distances) {
    int m = student.size();
    int n = teacher.size();
    if (flow.length != m || (m > 0 && flow[0].length != n)) {
      throw new IllegalArgumentException(
          "flow is " + flow.length + "x" + (m > 0 ? flow[0].length : 0) + ", " + m + " student and " + n
              + " teacher tensors");
    }
    if (distances.length != m || (m > 0 && distances[0].length != n)) {
      throw new IllegalArgumentException(
          "distances are " + distances.length + "x" + (m > 0 ? distances[0].length : 0) + ", " + m
              + " student and " + n + " teacher tensors");
    }
    // DJL's hasGradient() is requires_grad of a leaf: true for a teacher given as a trainable
    // leaf (the tests' case), false for anything autograd recorded. Teachers come without a graph.
    boolean constantTeacher = teacher.stream().noneMatch(NDArray::hasGradient);
    if (constantTeacher) {
      NDArray host = HostFlowGradient.total(student, teacher, flow, distances, maskScores);
      if (host != null) {
        return host;
      }
    }
    List<NDArray> maskedTeacher = null; // for the engine ops, made when a row first needs them
    NDArray total = null;
    for (int i = 0; i < m; i++) {
      int support = 0;
      for (int j = 0; j < n; j++) {
        support += flow[i][j] > 0 ? 1 : 0;
      }
      if (support == 0) {
        continue;
      }
      NDArray s = student.get(i);
      List<NDArray> t = teacher;
      if (maskScores) {
        if (maskedTeacher == null) {
          UnaryOperator<NDArray> mask =
              constantTeacher ? AttentionScoreMse::maskedConstant : AttentionScoreMse::masked;
          maskedTeacher = teacher.stream().map(mask).toList();
        }
        s = AttentionScoreMse.masked(s);
        t = maskedTeacher;
      }
      NDArray term =
          support > 1 && constantTeacher
              ? againstWeightedMean(s, t, flow[i], distances[i])
              : pairByPair(s, t, flow[i]);
      total = total == null ? term : total.add(term);
    }
    if (total == null) {
      throw new IllegalArgumentException("the flow has no positive entry");
    }
    return total;
  }

  /** {@code Σ_j F_ij · mean((S_i − T_j)²)}, one differentiable pair per positive flow. */
  private static NDArray pairByPair(NDArray s, List<NDArray> teacher, double[] flow) {
    NDArray total = null;
    for (int j = 0; j < flow.length; j++) {
      if (flow[j] > 0) {
        NDArray d = s.sub(teacher.get(j)).square().mean(); // scalar
        // F rounded once, from double to the tensors' type, as in compute().
        NDArray f = s.getManager().create(flow[j]).toType(s.getDataType(), false);
        NDArray term = d.mul(f);
        total = total == null ? term : total.add(term);
      }
    }
    return total;
  }

  /** {@code F_i · mean((S_i − T̄_i)²) + c_i}, one differentiable pair (see the class comment). */
  private static NDArray againstWeightedMean(NDArray s, List<NDArray> teacher, double[] flow, double[] distances) {
    double rowFlow = 0;
    double exact = 0;
    for (int j = 0; j < flow.length; j++) {
      if (flow[j] > 0) {
        rowFlow += flow[j];
        exact += flow[j] * distances[j];
      }
    }
    NDArray mean = null; // T̄_i, [same shape as S_i], no graph: the teacher tensors are constants
    for (int j = 0; j < flow.length; j++) {
      if (flow[j] > 0) {
        NDArray weighted = teacher.get(j).mul((float) (flow[j] / rowFlow));
        if (mean == null) {
          mean = weighted;
        } else {
          mean.addi(weighted);
          weighted.close();
        }
      }
    }
    NDArray f = s.getManager().create(rowFlow).toType(s.getDataType(), false);
    NDArray part = s.sub(mean).square().mean().mul(f); // scalar, differentiable
    double correction = exact - part.getFloat();
    return part.add(s.getManager().create(correction).toType(s.getDataType(), false));
  }
}

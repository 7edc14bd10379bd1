package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

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

  /**
   * Creates the term.
   *
   * @param name the metric tag, {@code att} or {@code hid}
   */
  public TransportLoss(String name) {
    this.name = name;
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
   * Computes the same term from the tensors, differentiating only the pairs that carry flow:
   *
   * <pre>
   * L_emd = Σ_{ij: F_ij > 0} F_ij · mean((S_i − T_j)²)
   * </pre>
   *
   * A basic optimal flow has at most M + N − 1 positive entries, so the backward pass goes through
   * at most 15 of BERT-EMD's 48 pairs (4×12) instead of all of them; a pair with zero flow adds
   * exactly 0 to the loss and to every gradient, so value and gradients are those of {@link
   * #compute(NDArray, double[][])} up to the order of the float additions.
   *
   * @param student M tensors (already masked or projected), differentiable
   * @param teacher N tensors of the same shape, constants
   * @param flow F, M rows of N non-negative flows, a constant
   * @return the scalar loss
   */
  public NDArray computeOnSupport(List<NDArray> student, List<NDArray> teacher, double[][] flow) {
    int m = student.size();
    int n = teacher.size();
    if (flow.length != m || (m > 0 && flow[0].length != n)) {
      throw new IllegalArgumentException(
          "flow is " + flow.length + "x" + (m > 0 ? flow[0].length : 0) + ", " + m + " student and " + n
              + " teacher tensors");
    }
    NDArray total = null;
    for (int i = 0; i < m; i++) {
      NDArray s = student.get(i);
      for (int j = 0; j < n; j++) {
        if (flow[i][j] > 0) {
          NDArray d = s.sub(teacher.get(j)).square().mean(); // scalar
          // F rounded once, from double to the tensors' type, as in compute().
          NDArray f = s.getManager().create(flow[i][j]).toType(s.getDataType(), false);
          NDArray term = d.mul(f);
          total = total == null ? term : total.add(term);
        }
      }
    }
    if (total == null) {
      throw new IllegalArgumentException("the flow has no positive entry");
    }
    return total;
  }
}

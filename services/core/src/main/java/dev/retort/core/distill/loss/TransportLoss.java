package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
}

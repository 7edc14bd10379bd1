package dev.retort.core.distill.emd;

import java.util.Arrays;

/**
 * An optimal transport plan between M student layers (supplies) and N teacher layers (demands).
 *
 * <p>The flow minimises {@code cost = Σ_ij F_ij · d_ij} subject to {@code F_ij ≥ 0}, {@code Σ_j
 * F_ij = a_i} and {@code Σ_i F_ij = b_j}. The value is immutable: the flow is copied on the way in
 * and on the way out of {@link #flow()}; use {@link #flowAt(int, int)} to read single cells without
 * copying.
 *
 * @param flow the flow F, {@code [M][N]}, every entry {@code ≥ 0}
 * @param cost the objective {@code Σ_ij F_ij · d_ij}, summed in row-major order
 * @param iterations the number of simplex pivots taken after the starting basis
 */
public record TransportPlan(double[][] flow, double cost, int iterations) {

  /** Validates the shape and deep-copies the flow. */
  public TransportPlan {
    if (flow == null || flow.length == 0) {
      throw new IllegalArgumentException("flow must have at least one row");
    }
    int n = flow[0] == null ? 0 : flow[0].length;
    if (n == 0) {
      throw new IllegalArgumentException("flow must have at least one column");
    }
    double[][] copy = new double[flow.length][];
    for (int i = 0; i < flow.length; i++) {
      if (flow[i] == null || flow[i].length != n) {
        throw new IllegalArgumentException(
            "flow is not rectangular: row " + i + " differs from row 0 (" + n + " columns)");
      }
      copy[i] = flow[i].clone();
    }
    flow = copy;
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
    }
  }

  /** Returns a deep copy of the flow, {@code [M][N]}. */
  @Override
  public double[][] flow() {
    double[][] copy = new double[flow.length][];
    for (int i = 0; i < flow.length; i++) {
      copy[i] = flow[i].clone();
    }
    return copy;
  }

  /** Returns the flow from student layer {@code i} to teacher layer {@code j}, {@code F_ij}. */
  public double flowAt(int i, int j) {
    return flow[i][j];
  }

  /** Returns M, the number of supplies (rows). */
  public int rows() {
    return flow.length;
  }

  /** Returns N, the number of demands (columns). */
  public int columns() {
    return flow[0].length;
  }

  /** Returns the row sums {@code Σ_j F_ij}, {@code [M]}. */
  public double[] rowSums() {
    double[] sums = new double[flow.length];
    for (int i = 0; i < flow.length; i++) {
      double s = 0;
      for (double f : flow[i]) {
        s += f;
      }
      sums[i] = s;
    }
    return sums;
  }

  /** Returns the column sums {@code Σ_i F_ij}, {@code [N]}. */
  public double[] columnSums() {
    double[] sums = new double[flow[0].length];
    for (double[] row : flow) {
      for (int j = 0; j < row.length; j++) {
        sums[j] += row[j];
      }
    }
    return sums;
  }

  /** Compares flows by value. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TransportPlan p
        && Double.compare(cost, p.cost) == 0
        && iterations == p.iterations
        && Arrays.deepEquals(flow, p.flow);
  }

  /** Hashes the flow by value. */
  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.deepHashCode(flow) + Double.hashCode(cost)) + iterations;
  }

  /** Shows the cost, the iteration count and the flow. */
  @Override
  public String toString() {
    return "TransportPlan[cost="
        + cost
        + ", iterations="
        + iterations
        + ", flow="
        + Arrays.deepToString(flow)
        + "]";
  }
}

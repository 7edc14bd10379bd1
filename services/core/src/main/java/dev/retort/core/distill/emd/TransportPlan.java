package dev.retort.core.distill.emd;

import java.util.Arrays;

/**
 * An optimal transport plan between M student layers (supplies) and N teacher layers (demands).
 *
 * <p>The flow minimises {@code cost = Σ_ij F_ij · d_ij} subject to {@code F_ij ≥ 0}, {@code Σ_j
 * F_ij = a_i} and {@code Σ_i F_ij = b_j}. The value is immutable: the flow is copied on the way in
 * and on the way out of {@link #flow()}; use {@link #flowAt(int, int)} to read single cells without
 * copying. It is stored row-major in one array, so that the solver hands its result over in a
 * single allocation: a 4×12 solve takes about a microsecond, and copying row arrays twice was a
 * measurable part of it.
 */
public final class TransportPlan {

  private final int rows;
  private final int columns;
  private final double[] flow; // [M·N] row-major, owned
  private final double cost;
  private final int iterations;

  /**
   * Validates the shape and copies the flow.
   *
   * @param flow the flow F, {@code [M][N]}, rectangular, every entry {@code ≥ 0}
   * @param cost the objective {@code Σ_ij F_ij · d_ij}, summed in row-major order
   * @param iterations the number of simplex pivots taken after the starting basis, {@code ≥ 0}
   * @throws IllegalArgumentException on an empty or ragged flow or negative iterations
   */
  public TransportPlan(double[][] flow, double cost, int iterations) {
    this(rows(flow), flow[0].length, flatten(flow), cost, iterations);
  }

  /** Takes ownership of a row-major {@code [rows·columns]} flow (no copy). */
  TransportPlan(int rows, int columns, double[] flow, double cost, int iterations) {
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
    }
    this.rows = rows;
    this.columns = columns;
    this.flow = flow;
    this.cost = cost;
    this.iterations = iterations;
  }

  private static int rows(double[][] flow) {
    if (flow == null || flow.length == 0) {
      throw new IllegalArgumentException("flow must have at least one row");
    }
    if (flow[0] == null || flow[0].length == 0) {
      throw new IllegalArgumentException("flow must have at least one column");
    }
    return flow.length;
  }

  private static double[] flatten(double[][] flow) {
    int n = flow[0].length;
    double[] flat = new double[flow.length * n];
    for (int i = 0; i < flow.length; i++) {
      if (flow[i] == null || flow[i].length != n) {
        throw new IllegalArgumentException(
            "flow is not rectangular: row " + i + " differs from row 0 (" + n + " columns)");
      }
      System.arraycopy(flow[i], 0, flat, i * n, n);
    }
    return flat;
  }

  /** Returns a copy of the flow F, {@code [M][N]}, every entry {@code ≥ 0}. */
  public double[][] flow() {
    double[][] copy = new double[rows][];
    for (int i = 0; i < rows; i++) {
      copy[i] = Arrays.copyOfRange(flow, i * columns, (i + 1) * columns);
    }
    return copy;
  }

  /** Returns the objective {@code Σ_ij F_ij · d_ij}, summed in row-major order. */
  public double cost() {
    return cost;
  }

  /** Returns the number of simplex pivots taken after the starting basis. */
  public int iterations() {
    return iterations;
  }

  /** Returns the flow from student layer {@code i} to teacher layer {@code j}, {@code F_ij}. */
  public double flowAt(int i, int j) {
    if (i < 0 || i >= rows || j < 0 || j >= columns) {
      throw new IndexOutOfBoundsException(
          "cell (" + i + ", " + j + ") is outside the " + rows + "x" + columns + " plan");
    }
    return flow[i * columns + j];
  }

  /** Returns M, the number of supplies (rows). */
  public int rows() {
    return rows;
  }

  /** Returns N, the number of demands (columns). */
  public int columns() {
    return columns;
  }

  /** Returns the row sums {@code Σ_j F_ij}, {@code [M]}. */
  public double[] rowSums() {
    double[] sums = new double[rows];
    for (int i = 0, c = 0; i < rows; i++) {
      double s = 0;
      for (int j = 0; j < columns; j++, c++) {
        s += flow[c];
      }
      sums[i] = s;
    }
    return sums;
  }

  /** Returns the column sums {@code Σ_i F_ij}, {@code [N]}. */
  public double[] columnSums() {
    double[] sums = new double[columns];
    for (int i = 0, c = 0; i < rows; i++) {
      for (int j = 0; j < columns; j++, c++) {
        sums[j] += flow[c];
      }
    }
    return sums;
  }

  /** Compares shape, flows, cost and iterations by value. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TransportPlan p
        && rows == p.rows
        && columns == p.columns
        && Double.compare(cost, p.cost) == 0
        && iterations == p.iterations
        && Arrays.equals(flow, p.flow);
  }

  /** Hashes the plan by value. */
  @Override
  public int hashCode() {
    return 31 * (31 * (31 * rows + Arrays.hashCode(flow)) + Double.hashCode(cost)) + iterations;
  }

  /** Shows the cost, the iteration count and the flow. */
  @Override
  public String toString() {
    return "TransportPlan[cost="
        + cost
        + ", iterations="
        + iterations
        + ", flow="
        + Arrays.deepToString(flow())
        + "]";
  }
}

package dev.retort.core.distill.emd;

import dev.retort.core.distill.emd.TransportSolver.StartRule;

/**
 * The transportation simplex (MODI / u-v potentials with stepping-stone cycles) on a spanning-tree
 * basis; a reusable, single-threaded workspace behind {@link TransportSolver}.
 *
 * <p>Each iteration prices every cell, {@code r_ij = d_ij − u_i − v_j}, and stops when none is
 * below {@code −1e-12·max|d|}; otherwise the entering cell closes a cycle with the tree, the minus
 * cell of smallest flow θ leaves and {@link BasisTree#pivot} moves θ and updates the tree. Before
 * it stops, the tree is rebuilt from scratch (fresh potentials and flows, no accumulated rounding)
 * and priced once more, so the returned plan is optimal for exactly the flows returned.
 *
 * <p>Degeneracy: the basis always has exactly M+N−1 cells, zero-flow cells included. The entering
 * cell is Dantzig's (most negative r, ties to the lowest index); after {@code max(10, M+N)}
 * consecutive degenerate pivots (θ = 0) it switches to Bland's rule (first negative r, lowest-index
 * leaving cell), which cannot cycle, and switches back after the next pivot that moves flow.
 */
final class TransportSimplex {

  /** Reduced costs above {@code −COST_TOL · max|d|} count as non-negative. */
  private static final double COST_TOL = 1e-12;

  private final BasisTree tree = new BasisTree();
  private final StartingBasis start = new StartingBasis();
  private final VogelBasis vogel = new VogelBasis();
  private int m;
  private int n;
  private int[] cells = new int[0]; // [M+N] starting cells
  private double[] supplyLeft = new double[0]; // [M] residual supplies of the starting rule
  private double[] demandLeft = new double[0]; // [N] residual demands of the starting rule
  private double[][] out; // [M][N] result buffer, copied by TransportPlan

  /** Sizes the workspace for an M×N problem, reusing the arrays when they are large enough. */
  void reset(int rows, int cols) {
    m = rows;
    n = cols;
    tree.reset(rows, cols);
    if (cells.length < rows + cols) {
      cells = new int[rows + cols];
    }
    if (supplyLeft.length < rows) {
      supplyLeft = new double[rows];
    }
    if (demandLeft.length < cols) {
      demandLeft = new double[cols];
    }
    if (out == null || out.length != m || out[0].length != n) {
      out = new double[m][n];
    }
  }

  /** Returns the row-major cost array to fill, {@code [M·N]}. */
  double[] cost() {
    return tree.cost;
  }

  /** Returns the mass array to fill: supplies at {@code 0..M−1}, demands at {@code M..M+N−1}. */
  double[] mass() {
    return tree.mass;
  }

  /**
   * Solves the filled-in problem; {@link #reset}, {@link #cost()} and {@link #mass()} come first.
   *
   * @param rule how to build the first basis
   * @param maxAbsCost {@code max|d_ij|}, which scales the optimality tolerance
   * @param total the common total mass, which scales the zero-flow tolerance
   * @param blandAfter degenerate pivots in a row before Bland's rule takes over; negative for the
   *     default {@code max(10, M+N)}
   */
  TransportPlan solve(StartRule rule, double maxAbsCost, double total, int blandAfter) {
    double[] s = supplyLeft;
    double[] d = demandLeft;
    System.arraycopy(tree.mass, 0, s, 0, m);
    System.arraycopy(tree.mass, m, d, 0, n);
    double[] cost = tree.cost;
    switch (rule) {
      case NORTH_WEST -> StartingBasis.northWest(m, n, s, d, cells);
      case VOGEL -> vogel.build(m, n, cost, s, d, cells);
      case COLUMN_MINIMUM -> start.columnMinimum(m, n, cost, s, d, cells);
      default -> throw new IllegalStateException("unknown start rule " + rule);
    }
    for (int k = 0; k < m + n - 1; k++) {
      tree.add(cells[k]);
    }
    tree.rebuild();
    double costTol = COST_TOL * maxAbsCost;
    double flowTol = 4.0 * (m + n) * Math.ulp(total);
    int maxIterations = 1000 + 20 * m * n * (m + n);
    if (blandAfter < 0) {
      blandAfter = Math.max(10, m + n);
    }
    int iterations = 0;
    int degenerateStreak = 0;
    boolean fresh = true;
    while (true) {
      int enter = degenerateStreak >= blandAfter ? firstNegative(costTol) : mostNegative(costTol);
      if (enter < 0) {
        if (fresh) {
          break;
        }
        tree.rebuild();
        fresh = true;
        continue;
      }
      fresh = false;
      if (++iterations > maxIterations) {
        throw new IllegalStateException(
            "transport simplex did not converge in " + maxIterations + " pivots on " + m + "x" + n);
      }
      tree.findLeaving(enter, flowTol);
      degenerateStreak = tree.theta() <= flowTol ? degenerateStreak + 1 : 0;
      tree.pivot(enter, reducedCost(enter));
    }
    return toPlan(iterations);
  }

  private double reducedCost(int c) {
    int i = c / n;
    return tree.cost[c] - tree.potential[i] - tree.potential[m + c - i * n];
  }

  /**
   * Returns Dantzig's entering cell, or −1 at optimality. Basic cells are priced too: their reduced
   * cost is zero up to a few ulps of the potentials, far above {@code −tol}, so they never win.
   */
  private int mostNegative(double tol) {
    double[] cost = tree.cost;
    double[] potential = tree.potential;
    double best = -tol;
    int enter = -1;
    for (int i = 0, c = 0; i < m; i++) {
      double u = potential[i];
      for (int j = 0; j < n; j++, c++) {
        double r = cost[c] - u - potential[m + j];
        if (r < best) {
          best = r;
          enter = c;
        }
      }
    }
    return enter;
  }

  /** Returns Bland's entering cell (the first non-basic cell with r below −tol), or −1. */
  private int firstNegative(double tol) {
    double[] cost = tree.cost;
    double[] potential = tree.potential;
    boolean[] basic = tree.basic;
    for (int i = 0, c = 0; i < m; i++) {
      double u = potential[i];
      for (int j = 0; j < n; j++, c++) {
        if (!basic[c] && cost[c] - u - potential[m + j] < -tol) {
          return c;
        }
      }
    }
    return -1;
  }

  private TransportPlan toPlan(int iterations) {
    double[] cost = tree.cost;
    double[] flow = tree.flow;
    boolean[] basic = tree.basic;
    double total = 0;
    for (int i = 0, c = 0; i < m; i++) {
      double[] row = out[i];
      for (int j = 0; j < n; j++, c++) {
        double f = basic[c] && flow[c] > 0 ? flow[c] : 0;
        row[j] = f;
        total += f * cost[c];
      }
    }
    return new TransportPlan(out, total, iterations);
  }
}

package dev.retort.core.distill.emd;

import dev.retort.core.distill.emd.TransportSolver.StartRule;

/**
 * The transportation simplex (MODI / u-v potentials with stepping-stone cycles) on a spanning-tree
 * basis; a reusable, single-threaded workspace behind {@link TransportSolver}.
 *
 * <p>Each iteration prices every cell, {@code r_ij = d_ij − u_i − v_j}, and stops when none is
 * below {@code −1e-12·max|d|}; otherwise the entering cell closes a cycle with the tree, the minus
 * cell of smallest flow θ leaves and {@link BasisTree#pivot} moves θ and updates the tree. Before
 * it stops, the flows are recomputed from the masses on the final tree (no accumulated rounding)
 * and the incrementally updated potentials are checked on the basic cells: when some {@code |d_ij
 * − u_i − v_j|} there exceeds the tolerance, the whole tree is rebuilt (fresh potentials) and
 * priced once more. So the returned flows come with potentials whose reduced costs are {@code ≥
 * −tol} on every cell and within {@code ±tol} on the basic ones: optimal within {@code 2·tol·Σa}.
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
  private int[] cellRow = new int[0]; // [M+N] rows of the starting cells
  private int[] cellCol = new int[0]; // [M+N] columns of the starting cells
  private int[] cellLeaf = new int[0]; // [M+N] the node each starting cell eliminated
  private int enterRow; // row of the entering cell found by the last pricing pass
  private int enterCol; // its column
  private double[] supplyLeft = new double[0]; // [M] residual supplies of the starting rule
  private double[] demandLeft = new double[0]; // [N] residual demands of the starting rule

  /** Sizes the workspace for an M×N problem, reusing the arrays when they are large enough. */
  void reset(int rows, int cols) {
    m = rows;
    n = cols;
    tree.reset(rows, cols);
    if (cellRow.length < rows + cols) {
      cellRow = new int[rows + cols];
      cellCol = new int[rows + cols];
      cellLeaf = new int[rows + cols];
    }
    if (supplyLeft.length < rows) {
      supplyLeft = new double[rows];
    }
    if (demandLeft.length < cols) {
      demandLeft = new double[cols];
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
      case NORTH_WEST -> StartingBasis.northWest(m, n, s, d, cellRow, cellCol, cellLeaf);
      case VOGEL -> vogel.build(m, n, cost, s, d, cellRow, cellCol, cellLeaf);
      case COLUMN_MINIMUM -> start.columnMinimum(m, n, cost, s, d, cellRow, cellCol, cellLeaf);
      default -> throw new IllegalStateException("unknown start rule " + rule);
    }
    tree.build(cellRow, cellCol, cellLeaf);
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
      boolean found =
          degenerateStreak >= blandAfter ? firstNegative(costTol) : mostNegative(costTol);
      if (!found) {
        if (fresh || tree.refreshFlows() <= costTol) {
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
      int p = enterRow;
      int q = enterCol;
      tree.findLeaving(p, q, flowTol);
      degenerateStreak = tree.theta() <= flowTol ? degenerateStreak + 1 : 0;
      tree.pivot(p, q, tree.cost[p * n + q] - tree.potential[p] - tree.potential[m + q]);
    }
    return toPlan(iterations);
  }

  /**
   * Finds Dantzig's entering cell (most negative r, first in row-major order on ties) into {@code
   * enterRow, enterCol}; returns false at optimality. Basic cells are priced too: their reduced
   * cost is zero up to a few ulps of the potentials, far above {@code −tol}, so they never win.
   */
  private boolean mostNegative(double tol) {
    double[] cost = tree.cost;
    double[] potential = tree.potential;
    double best = -tol;
    int bestRow = -1;
    int bestCol = 0;
    for (int i = 0, c = 0; i < m; i++) {
      double u = potential[i];
      for (int j = 0; j < n; j++, c++) {
        double r = cost[c] - u - potential[m + j];
        if (r < best) {
          best = r;
          bestRow = i;
          bestCol = j;
        }
      }
    }
    enterRow = bestRow;
    enterCol = bestCol;
    return bestRow >= 0;
  }

  /**
   * Finds Bland's entering cell (the first cell with r below −tol, which is never a basic one, as in
   * {@link #mostNegative}) into {@code enterRow, enterCol}; returns false when there is none.
   */
  private boolean firstNegative(double tol) {
    double[] cost = tree.cost;
    double[] potential = tree.potential;
    for (int i = 0, c = 0; i < m; i++) {
      double u = potential[i];
      for (int j = 0; j < n; j++, c++) {
        if (cost[c] - u - potential[m + j] < -tol) {
          enterRow = i;
          enterCol = j;
          return true;
        }
      }
    }
    return false;
  }

  private TransportPlan toPlan(int iterations) {
    double[] cost = tree.cost;
    double[] out = new double[m * n]; // [M·N] handed to the plan, not copied
    tree.copyFlows(out);
    double total = 0;
    for (int c = 0; c < m * n; c++) {
      total += out[c] * cost[c];
    }
    return new TransportPlan(m, n, out, total, iterations);
  }
}

package dev.retort.core.distill.emd;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/** Independent references for the transport problem, and random instances, for tests only. */
final class TransportReference {

  private TransportReference() {}

  /** Returns the optimum from commons-math's general-purpose {@link SimplexSolver}. */
  static double simplexOptimum(double[] a, double[] b, double[][] d) {
    int m = a.length;
    int n = b.length;
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      System.arraycopy(d[i], 0, c, i * n, n);
    }
    List<LinearConstraint> constraints = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      double[] row = new double[m * n];
      for (int j = 0; j < n; j++) {
        row[i * n + j] = 1;
      }
      constraints.add(new LinearConstraint(row, Relationship.EQ, a[i]));
    }
    double scale = sum(a) / sum(b);
    for (int j = 0; j < n - 1; j++) { // the last column constraint is implied by the others
      double[] col = new double[m * n];
      for (int i = 0; i < m; i++) {
        col[i * n + j] = 1;
      }
      constraints.add(new LinearConstraint(col, Relationship.EQ, b[j] * scale));
    }
    PointValuePair p =
        new SimplexSolver(1e-10, 10, 1e-14)
            .optimize(
                new MaxIter(100_000),
                new LinearObjectiveFunction(c, 0),
                new LinearConstraintSet(constraints),
                GoalType.MINIMIZE,
                new NonNegativeConstraint(true));
    return p.getValue();
  }

  /**
   * Returns the optimum by enumerating every set of M+N−1 cells, solving the M+N−1 independent
   * marginal equations on it by Gaussian elimination and keeping the cheapest non-negative
   * solution: the vertices of the transportation polytope. Only for tiny M·N.
   */
  static double vertexEnumerationOptimum(double[] a, double[] b, double[][] d) {
    int m = a.length;
    int n = b.length;
    int k = m + n - 1;
    double best = Double.POSITIVE_INFINITY;
    int cells = m * n;
    for (int mask = 0; mask < (1 << cells); mask++) {
      if (Integer.bitCount(mask) != k) {
        continue;
      }
      int[] chosen = new int[k];
      for (int c = 0, t = 0; c < cells; c++) {
        if ((mask & (1 << c)) != 0) {
          chosen[t++] = c;
        }
      }
      double[] x = solveMarginals(a, b, chosen);
      if (x == null) {
        continue;
      }
      double cost = 0;
      boolean feasible = true;
      for (int t = 0; t < k; t++) {
        feasible &= x[t] >= -1e-12;
        cost += x[t] * d[chosen[t] / n][chosen[t] % n];
      }
      if (feasible) {
        best = Math.min(best, cost);
      }
    }
    return best;
  }

  /** Solves rows 0..M−1 and columns 0..N−2 of the marginal equations on the chosen cells. */
  private static double[] solveMarginals(double[] a, double[] b, int[] chosen) {
    int m = a.length;
    int n = b.length;
    int k = chosen.length;
    double[][] sys = new double[k][k + 1];
    for (int t = 0; t < k; t++) {
      int i = chosen[t] / n;
      int j = chosen[t] % n;
      sys[i][t] = 1;
      if (j < n - 1) {
        sys[m + j][t] = 1;
      }
    }
    for (int i = 0; i < m; i++) {
      sys[i][k] = a[i];
    }
    for (int j = 0; j < n - 1; j++) {
      sys[m + j][k] = b[j];
    }
    for (int col = 0; col < k; col++) {
      int piv = col;
      for (int r = col + 1; r < k; r++) {
        if (Math.abs(sys[r][col]) > Math.abs(sys[piv][col])) {
          piv = r;
        }
      }
      if (Math.abs(sys[piv][col]) < 1e-12) {
        return null; // the cells contain a cycle: not a basis
      }
      double[] tmp = sys[piv];
      sys[piv] = sys[col];
      sys[col] = tmp;
      for (int r = 0; r < k; r++) {
        if (r != col && sys[r][col] != 0) {
          double f = sys[r][col] / sys[col][col];
          for (int c = col; c <= k; c++) {
            sys[r][c] -= f * sys[col][c];
          }
        }
      }
    }
    double[] x = new double[k];
    for (int t = 0; t < k; t++) {
      x[t] = sys[t][k] / sys[t][t];
    }
    return x;
  }

  /** Returns random weights summing to about 1: uniform, random, or random with some zeros. */
  static double[] randomWeights(Random rnd, int size) {
    double[] w = new double[size];
    int kind = rnd.nextInt(3);
    for (int k = 0; k < size; k++) {
      w[k] = kind == 0 ? 1 : rnd.nextDouble();
      if (kind == 2 && size > 1 && rnd.nextInt(4) == 0) {
        w[k] = 0;
      }
    }
    if (sum(w) == 0) {
      w[rnd.nextInt(size)] = 1;
    }
    double s = sum(w);
    for (int k = 0; k < size; k++) {
      w[k] /= s;
    }
    return w;
  }

  /** Returns random distances: continuous in [0, 1), or small integers to force ties. */
  static double[][] randomDistances(Random rnd, int m, int n) {
    boolean ties = rnd.nextBoolean();
    double[][] d = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        d[i][j] = ties ? rnd.nextInt(4) : rnd.nextDouble();
      }
    }
    return d;
  }

  static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }
}

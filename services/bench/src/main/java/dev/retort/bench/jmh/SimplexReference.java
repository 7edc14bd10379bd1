package dev.retort.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * The transport problem as a general linear program, solved by commons-math's {@link
 * SimplexSolver}: what one would use without a dedicated solver.
 *
 * <pre>
 * min Σ_ij d_ij x_ij   s.t.  Σ_j x_ij = a_i (all i),  Σ_i x_ij = b_j (j &lt; N−1),  x ≥ 0
 * </pre>
 *
 * The last column constraint is implied by the others (Σa = Σb) and is left out, which keeps the
 * constraint matrix of full rank.
 */
public final class SimplexReference {
  private SimplexReference() {}

  /**
   * Solves one instance.
   *
   * @param a supplies, {@code [M]}
   * @param b demands, {@code [N]}, same total as {@code a}
   * @param d costs, {@code [M][N]}
   * @return the optimal cost
   */
  public static double optimum(double[] a, double[] b, double[][] d) {
    int m = a.length;
    int n = b.length;
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      System.arraycopy(d[i], 0, c, i * n, n);
    }
    List<LinearConstraint> constraints = new ArrayList<>(m + n - 1);
    for (int i = 0; i < m; i++) {
      double[] row = new double[m * n];
      for (int j = 0; j < n; j++) {
        row[i * n + j] = 1;
      }
      constraints.add(new LinearConstraint(row, Relationship.EQ, a[i]));
    }
    for (int j = 0; j < n - 1; j++) {
      double[] col = new double[m * n];
      for (int i = 0; i < m; i++) {
        col[i * n + j] = 1;
      }
      constraints.add(new LinearConstraint(col, Relationship.EQ, b[j]));
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
}

package dev.retort.core.distill.emd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.retort.core.distill.emd.TransportSolver.StartRule;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Many random instances over every BERT-EMD shape from 1×1 to 12×24 (and the transposed ones),
 * with zero-weight layers, tied costs and float-rounded totals: each start rule must reach
 * commons-math's optimum with a feasible, basic (acyclic support) plan.
 */
class TransportSolverRandomizedTest {

  private static final StartRule[] RULES = StartRule.values();

  @Test
  void everyShapeUpToTwelveByTwentyFourMatchesCommonsMathWithABasicFeasiblePlan() {
    Random rnd = new Random(20261121L);
    int[] rows = {1, 2, 3, 4, 6, 12};
    int[] cols = {1, 2, 5, 12, 24};
    int solved = 0;
    for (int m : rows) {
      for (int n : cols) {
        for (int rep = 0; rep < 6; rep++) {
          // Alternate the orientation so that M > N is covered too (24×12 etc.).
          boolean flip = rep % 2 == 1;
          int r = flip ? n : m;
          int c = flip ? m : n;
          double[] a = weights(rnd, r);
          double[] b = weights(rnd, c);
          double[][] d = distances(rnd, r, c);
          double expected = TransportReference.simplexOptimum(a, b, d);
          for (StartRule rule : RULES) {
            TransportSolver solver = TransportSolver.builder().optStartRule(rule).build();
            TransportPlan plan = solver.solve(a, b, d);
            String what = rule + " " + r + "x" + c + " #" + rep;
            assertThat(plan.cost()).as(what).isCloseTo(expected, within(1e-9));
            assertThat(plan.cost()).as(what).isEqualTo(objective(plan, d));
            assertFeasible(plan, a, b, what);
            assertThat(supportIsAcyclic(plan)).as(what + " support is a forest").isTrue();
          }
          solved++;
        }
      }
    }
    assertThat(solved).isEqualTo(rows.length * cols.length * 6);
  }

  @Test
  void floatRoundedTotalsAreRescaledAndStillOptimal() {
    // Weights that went through float32 sum to 1 only within ~1e-7: the demands are rescaled.
    Random rnd = new Random(77L);
    for (int rep = 0; rep < 40; rep++) {
      int m = 1 + rnd.nextInt(12);
      int n = 1 + rnd.nextInt(24);
      double[] a = toFloat(weights(rnd, m));
      double[] b = toFloat(weights(rnd, n));
      double[][] d = distances(rnd, m, n);
      TransportPlan plan = TransportSolver.create().solve(a, b, d);
      assertFeasible(plan, a, b, m + "x" + n);
      assertThat(plan.cost())
          .isCloseTo(TransportReference.simplexOptimum(a, b, d), within(1e-9));
    }
  }

  /** Weights summing to 1: uniform, random, or random with about a third of them zero. */
  private static double[] weights(Random rnd, int size) {
    double[] w = new double[size];
    int kind = rnd.nextInt(3);
    for (int k = 0; k < size; k++) {
      w[k] = kind == 0 ? 1 : 0.05 + rnd.nextDouble();
      if (kind == 2 && size > 1 && rnd.nextInt(3) == 0) {
        w[k] = 0;
      }
    }
    if (TransportReference.sum(w) == 0) {
      w[rnd.nextInt(size)] = 1;
    }
    double s = TransportReference.sum(w);
    for (int k = 0; k < size; k++) {
      w[k] /= s;
    }
    return w;
  }

  /** Distances: continuous, small integers (many ties), or a constant with a few cheaper cells. */
  private static double[][] distances(Random rnd, int m, int n) {
    int kind = rnd.nextInt(3);
    double[][] d = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        d[i][j] =
            switch (kind) {
              case 0 -> rnd.nextDouble();
              case 1 -> rnd.nextInt(3);
              default -> rnd.nextInt(5) == 0 ? 0.25 : 1.0;
            };
      }
    }
    return d;
  }

  private static double[] toFloat(double[] w) {
    double[] f = new double[w.length];
    for (int k = 0; k < w.length; k++) {
      f[k] = (float) w[k];
    }
    return f;
  }

  private static double objective(TransportPlan plan, double[][] d) {
    double s = 0;
    for (int i = 0; i < plan.rows(); i++) {
      for (int j = 0; j < plan.columns(); j++) {
        s += plan.flowAt(i, j) * d[i][j];
      }
    }
    return s;
  }

  private static void assertFeasible(TransportPlan plan, double[] a, double[] b, String what) {
    double scale = TransportReference.sum(a) / TransportReference.sum(b);
    double[] rowSums = plan.rowSums();
    double[] colSums = plan.columnSums();
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        assertThat(plan.flowAt(i, j)).as(what).isGreaterThanOrEqualTo(0.0);
      }
      assertThat(rowSums[i]).as(what + " row " + i).isCloseTo(a[i], within(1e-14));
    }
    for (int j = 0; j < b.length; j++) {
      assertThat(colSums[j]).as(what + " column " + j).isCloseTo(b[j] * scale, within(1e-14));
    }
  }

  /**
   * Returns whether the cells with positive flow form a forest in the bipartite row/column graph,
   * that is, whether the plan is a basic solution (a vertex of the transportation polytope).
   */
  private static boolean supportIsAcyclic(TransportPlan plan) {
    int m = plan.rows();
    int n = plan.columns();
    int[] parent = new int[m + n];
    for (int k = 0; k < parent.length; k++) {
      parent[k] = k;
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        if (plan.flowAt(i, j) > 0) {
          int x = find(parent, i);
          int y = find(parent, m + j);
          if (x == y) {
            return false;
          }
          parent[x] = y;
        }
      }
    }
    return true;
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
}

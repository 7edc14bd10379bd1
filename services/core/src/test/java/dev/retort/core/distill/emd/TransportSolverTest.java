package dev.retort.core.distill.emd;

import static dev.retort.core.distill.emd.TransportReference.randomDistances;
import static dev.retort.core.distill.emd.TransportReference.randomWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.retort.core.distill.emd.TransportSolver.StartRule;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransportSolverTest {

  /** Marginals must hold to a few units in the last place of the total mass (1). */
  private static final double MARGIN_TOL = 2e-15;

  private static final TransportSolver DEFAULT = TransportSolver.create();
  private static final TransportSolver NORTH_WEST = solver(StartRule.NORTH_WEST);
  private static final TransportSolver[] ALL = {
    solver(StartRule.COLUMN_MINIMUM), solver(StartRule.VOGEL), NORTH_WEST
  };

  private static final int[][] SIZES = {
    {1, 1}, {1, 5}, {1, 12}, {5, 1}, {12, 1}, {2, 2}, {2, 3}, {3, 7}, {4, 12}, {6, 12}
  };

  @Test
  void randomInstancesMatchCommonsMathSimplexObjective() {
    Random rnd = new Random(20240607L);
    int instances = 0;
    for (int[] size : SIZES) {
      for (int rep = 0; rep < 60; rep++) {
        int m = size[0];
        int n = size[1];
        double[] a = randomWeights(rnd, m);
        double[] b = randomWeights(rnd, n);
        double[][] d = randomDistances(rnd, m, n);
        double expected = TransportReference.simplexOptimum(a, b, d);
        TransportPlan first = null;
        for (TransportSolver solver : ALL) {
          TransportPlan plan = solver.solve(a, b, d);
          assertFeasible(plan, a, b);
          assertThat(plan.cost()).as("%dx%d #%d", m, n, rep).isCloseTo(expected, within(1e-9));
          assertThat(plan.cost()).isEqualTo(objective(plan, d));
          if (first == null) {
            first = plan;
          } else if (!isIntegral(d)) {
            // Continuous random costs have a unique optimum (integer ones often tie): every start
            // rule must find the same flow, not just the same cost.
            for (int i = 0; i < m; i++) {
              assertThat(plan.flow()[i]).containsExactly(first.flow()[i], within(1e-12));
            }
          }
        }
        instances++;
      }
    }
    assertThat(instances).isGreaterThanOrEqualTo(500);
  }

  @Test
  void tinyInstancesMatchVertexEnumeration() {
    Random rnd = new Random(7L);
    int[][] sizes = {{2, 2}, {2, 3}, {3, 2}, {3, 3}, {3, 4}};
    for (int[] size : sizes) {
      for (int rep = 0; rep < 40; rep++) {
        double[] a = randomWeights(rnd, size[0]);
        double[] b = randomWeights(rnd, size[1]);
        double[][] d = randomDistances(rnd, size[0], size[1]);
        double expected = TransportReference.vertexEnumerationOptimum(a, b, d);
        for (TransportSolver solver : ALL) {
          TransportPlan plan = solver.solve(a, b, d);
          assertFeasible(plan, a, b);
          assertThat(plan.cost()).isCloseTo(expected, within(1e-12));
        }
      }
    }
  }

  @Test
  void handSolvedTwoByThreeHasItsUniqueOptimum() {
    // a = (0.5, 0.5), b = (0.25, 0.5, 0.25), d = [[0, 1, 2], [2, 1, 0]].
    // Row 0 should feed column 0 (cost 0) and row 1 column 2 (cost 0); the middle column costs 1
    // from either row, so it takes 0.25 from each: F = [[.25, .25, 0], [0, .25, .25]], cost 0.5.
    // Any other plan moves mass into a cost-2 cell, so this optimum is unique.
    double[] a = {0.5, 0.5};
    double[] b = {0.25, 0.5, 0.25};
    double[][] d = {{0, 1, 2}, {2, 1, 0}};
    for (TransportSolver solver : ALL) {
      TransportPlan plan = solver.solve(a, b, d);
      assertThat(plan.flow()).isDeepEqualTo(new double[][] {{0.25, 0.25, 0}, {0, 0.25, 0.25}});
      assertThat(plan.cost()).isEqualTo(0.5);
    }
  }

  @Test
  void northWestCornerDegenerateBasisStillReachesOptimum() {
    // NW puts 0.5 into (0,0), which exhausts row 0 and column 0 together: the basis needs a
    // zero-flow cell. The optimum is the anti-diagonal, cost 0, reached by a degenerate pivot
    // first.
    double[] a = {0.5, 0.5};
    double[] b = {0.5, 0.5};
    double[][] d = {{1, 0}, {0, 1}};
    TransportPlan plan = NORTH_WEST.solve(a, b, d);
    assertThat(plan.flow()).isDeepEqualTo(new double[][] {{0, 0.5}, {0.5, 0}});
    assertThat(plan.cost()).isZero();
    assertThat(plan.iterations()).isPositive();

    // 3x3 with all partial sums coinciding: NW allocates a diagonal of 3 cells plus 2 zero cells.
    double[] a3 = {0.25, 0.25, 0.5};
    double[][] d3 = {{3, 2, 0}, {2, 0, 3}, {0, 3, 2}};
    TransportPlan plan3 = NORTH_WEST.solve(a3, new double[] {0.5, 0.25, 0.25}, d3);
    assertFeasible(plan3, a3, new double[] {0.5, 0.25, 0.25});
    // Optimum: (0,2), (1,1), (2,0) are all free and match the marginals exactly, so the cost is 0.
    assertThat(plan3.cost()).isZero();
    assertThat(plan3.flowAt(2, 0)).isEqualTo(0.5);
  }

  @Test
  void allZeroDistancesGiveFeasibleZeroCostPlan() {
    Random rnd = new Random(3);
    double[] a = randomWeights(rnd, 4);
    double[] b = randomWeights(rnd, 12);
    TransportPlan plan = DEFAULT.solve(a, b, new double[4][12]);
    assertFeasible(plan, a, b);
    assertThat(plan.cost()).isZero();
    assertThat(plan.iterations()).isZero();
  }

  @Test
  void equalDistancesEverywhereCostTheConstantTimesTheMass() {
    double[] a = {0.25, 0.25, 0.25, 0.25};
    double[] b = new double[12];
    Arrays.fill(b, 1.0 / 12);
    double[][] d = new double[4][12];
    for (double[] row : d) {
      Arrays.fill(row, 0.7);
    }
    for (TransportSolver solver : ALL) {
      TransportPlan plan = solver.solve(a, b, d);
      assertFeasible(plan, a, b);
      assertThat(plan.cost()).isCloseTo(0.7, within(1e-15));
      assertThat(plan.iterations()).isZero();
    }
  }

  @Test
  void singleRowOrColumnCopiesTheOtherMarginal() {
    double[] b = {0.1, 0.2, 0.3, 0.4};
    double[][] row = {{5, 1, 3, 2}};
    TransportPlan r = DEFAULT.solve(new double[] {1.0}, b, row);
    assertThat(r.flow()[0]).containsExactly(b);
    double[][] col = {{5}, {1}, {3}, {2}};
    TransportPlan c = NORTH_WEST.solve(b, new double[] {1.0}, col);
    // The doubles 0.1..0.4 do not sum to exactly 1.0 in real arithmetic, so one cell absorbs the
    // last-place difference.
    for (int i = 0; i < 4; i++) {
      assertThat(c.flowAt(i, 0)).isCloseTo(b[i], within(1e-16));
    }
    TransportPlan one = DEFAULT.solve(new double[] {0.3}, new double[] {0.3}, new double[][] {{2}});
    assertThat(one.flowAt(0, 0)).isEqualTo(0.3);
    assertThat(one.cost()).isCloseTo(0.6, within(1e-16));
  }

  @Test
  void identicalRowsSplitByCost() {
    double[] a = {0.5, 0.5};
    double[] b = {0.2, 0.3, 0.5};
    double[][] d = {{1, 2, 3}, {1, 2, 3}};
    TransportPlan plan = DEFAULT.solve(a, b, d);
    assertFeasible(plan, a, b);
    assertThat(plan.cost()).isCloseTo(0.2 + 0.6 + 1.5, within(1e-15));
  }

  @Test
  void zeroWeightLayersReceiveNoFlow() {
    double[] a = {0.5, 0, 0.5, 0};
    double[] b = {0, 0.25, 0.25, 0, 0.5};
    Random rnd = new Random(11);
    for (int rep = 0; rep < 50; rep++) {
      double[][] d = randomDistances(rnd, 4, 5);
      TransportPlan plan = ALL[rep % ALL.length].solve(a, b, d);
      assertFeasible(plan, a, b);
      for (int j = 0; j < 5; j++) {
        assertThat(plan.flowAt(1, j)).isZero();
        assertThat(plan.flowAt(3, j)).isZero();
      }
      for (int i = 0; i < 4; i++) {
        assertThat(plan.flowAt(i, 0)).isZero();
        assertThat(plan.flowAt(i, 3)).isZero();
      }
      assertThat(plan.cost()).isCloseTo(TransportReference.simplexOptimum(a, b, d), within(1e-9));
    }
  }

  @Test
  void largestSupportedSizeMatchesSimplex() {
    Random rnd = new Random(99);
    for (int rep = 0; rep < 3; rep++) {
      double[] a = randomWeights(rnd, 24);
      double[] b = randomWeights(rnd, 48);
      double[][] d = randomDistances(rnd, 24, 48);
      double expected = TransportReference.simplexOptimum(a, b, d);
      for (TransportSolver solver : ALL) {
        TransportPlan plan = solver.solve(a, b, d);
        assertFeasible(plan, a, b);
        assertThat(plan.cost()).isCloseTo(expected, within(1e-9));
      }
    }
  }

  @Test
  void highlyDegenerateAssignmentLikeProblemsMatchSimplex() {
    // Uniform weights whose partial sums coincide everywhere and costs from {0, 1, 2}: most
    // pivots move no flow, which is where a transportation simplex can cycle.
    Random rnd = new Random(17);
    int[][] sizes = {{5, 5}, {8, 8}, {6, 12}, {4, 12}, {12, 12}};
    for (int[] size : sizes) {
      for (int rep = 0; rep < 10; rep++) {
        double[] a = new double[size[0]];
        double[] b = new double[size[1]];
        Arrays.fill(a, 1.0 / size[0]);
        Arrays.fill(b, 1.0 / size[1]);
        double[][] d = new double[size[0]][size[1]];
        for (double[] row : d) {
          for (int j = 0; j < row.length; j++) {
            row[j] = rnd.nextInt(3);
          }
        }
        double expected = TransportReference.simplexOptimum(a, b, d);
        for (TransportSolver solver : ALL) {
          TransportPlan plan = solver.solve(a, b, d);
          assertFeasible(plan, a, b);
          assertThat(plan.cost()).isCloseTo(expected, within(1e-9));
        }
      }
    }
  }

  @Test
  void blandsRuleFromTheFirstPivotAlsoReachesTheOptimum() {
    TransportSolver bland = TransportSolver.builder().blandAfter(0).build();
    Random rnd = new Random(23);
    for (int[] size : SIZES) {
      for (int rep = 0; rep < 10; rep++) {
        double[] a = randomWeights(rnd, size[0]);
        double[] b = randomWeights(rnd, size[1]);
        double[][] d = randomDistances(rnd, size[0], size[1]);
        TransportPlan plan = bland.solve(a, b, d);
        assertFeasible(plan, a, b);
        assertThat(plan.cost()).isCloseTo(DEFAULT.solve(a, b, d).cost(), within(1e-12));
      }
    }
  }

  @Test
  void reusedWorkspaceGivesTheSameAnswerAcrossSizes() {
    Random rnd = new Random(5);
    double[] a6 = randomWeights(rnd, 6);
    double[] b12 = randomWeights(rnd, 12);
    double[][] d6 = randomDistances(rnd, 6, 12);
    double[] a2 = randomWeights(rnd, 2);
    double[] b3 = randomWeights(rnd, 3);
    double[][] d2 = randomDistances(rnd, 2, 3);
    TransportPlan first = DEFAULT.solve(a6, b12, d6);
    TransportPlan small = DEFAULT.solve(a2, b3, d2);
    DEFAULT.solve(randomWeights(rnd, 24), randomWeights(rnd, 48), randomDistances(rnd, 24, 48));
    assertThat(DEFAULT.solve(a6, b12, d6)).isEqualTo(first);
    assertThat(DEFAULT.solve(a2, b3, d2)).isEqualTo(small);
  }

  @Test
  void tinyMassMismatchIsRescaledOntoTheDemands() {
    double[] a = {0.5, 0.5};
    double[] b = {0.25 * (1 + 1e-8), 0.75 * (1 + 1e-8)};
    TransportPlan plan = DEFAULT.solve(a, b, new double[][] {{0, 1}, {1, 0}});
    assertThat(plan.columnSums()[0]).isCloseTo(0.25, within(1e-15));
    assertThat(plan.columnSums()[1]).isCloseTo(0.75, within(1e-15));
    assertThat(plan.rowSums()).containsExactly(0.5, 0.5);
  }

  @Test
  void zeroTotalMassGivesZeroPlan() {
    TransportPlan plan = DEFAULT.solve(new double[2], new double[3], new double[2][3]);
    assertThat(plan.flow()).isDeepEqualTo(new double[2][3]);
    assertThat(plan.cost()).isZero();
  }

  @Test
  void invalidInputsAreRejectedWithThePosition() {
    double[] a = {0.5, 0.5};
    double[] b = {0.5, 0.5};
    double[][] nan = {{0, 1}, {Double.NaN, 0}};
    assertThatThrownBy(() -> DEFAULT.solve(a, b, nan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("distance[1][0] is NaN");
    double[][] inf = {{0, Double.POSITIVE_INFINITY}, {1, 0}};
    assertThatThrownBy(() -> DEFAULT.solve(a, b, inf)).hasMessageContaining("distance[0][1]");
    double[][] minusInf = {{0, 1}, {1, Double.NEGATIVE_INFINITY}};
    assertThatThrownBy(() -> DEFAULT.solve(a, b, minusInf))
        .hasMessageContaining("distance[1][1] is -Infinity");
    double[][] ok = {{0, 1}, {1, 0}};
    assertThatThrownBy(() -> DEFAULT.solve(new double[] {1.5, -0.5}, b, ok))
        .hasMessageContaining("supply[1] is -0.5");
    assertThatThrownBy(() -> DEFAULT.solve(a, new double[] {Double.NaN, 1}, ok))
        .hasMessageContaining("demand[0] is NaN");
    assertThatThrownBy(() -> DEFAULT.solve(a, new double[] {0.5, 0.6}, ok))
        .hasMessageContaining("must be balanced");
    assertThatThrownBy(() -> DEFAULT.solve(a, b, new double[][] {{0, 1}, {1}}))
        .hasMessageContaining("distance row 1 has 1 entries");
    assertThatThrownBy(() -> DEFAULT.solve(a, b, new double[][] {{0, 1}}))
        .hasMessageContaining("1 rows but there are 2 supplies");
    assertThatThrownBy(() -> DEFAULT.solve(new double[0], b, new double[0][]))
        .hasMessageContaining("at least one supply");
    assertThatThrownBy(() -> TransportSolver.builder().optMassTolerance(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void planIsImmutable() {
    double[][] d = {{0, 1}, {1, 0}};
    TransportPlan plan = DEFAULT.solve(new double[] {0.5, 0.5}, new double[] {0.5, 0.5}, d);
    plan.flow()[0][0] = 42;
    assertThat(plan.flowAt(0, 0)).isEqualTo(0.5);
    double[][] raw = {{1, 2}};
    TransportPlan p = new TransportPlan(raw, 0, 0);
    raw[0][0] = 7;
    assertThat(p.flowAt(0, 0)).isEqualTo(1);
    assertThat(p.flow()).isDeepEqualTo(new double[][] {{1, 2}});
    assertThat(p).isEqualTo(new TransportPlan(new double[][] {{1, 2}}, 0, 0));
    assertThat(p.hashCode()).isEqualTo(new TransportPlan(new double[][] {{1, 2}}, 0, 0).hashCode());
    assertThat(p).isNotEqualTo(new TransportPlan(new double[][] {{1}, {2}}, 0, 0));
    assertThatThrownBy(() -> p.flowAt(1, 0)).hasMessageContaining("outside the 1x2 plan");
  }

  private static TransportSolver solver(StartRule rule) {
    return TransportSolver.builder().optStartRule(rule).build();
  }

  private static boolean isIntegral(double[][] d) {
    return Arrays.stream(d).flatMapToDouble(Arrays::stream).allMatch(x -> x == Math.rint(x));
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

  private static void assertFeasible(TransportPlan plan, double[] a, double[] b) {
    double scale = TransportReference.sum(a) / TransportReference.sum(b);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        assertThat(plan.flowAt(i, j)).isGreaterThanOrEqualTo(0.0);
      }
      assertThat(exactSum(plan, i, true)).as("row %d", i).isCloseTo(a[i], within(MARGIN_TOL));
    }
    for (int j = 0; j < b.length; j++) {
      assertThat(exactSum(plan, j, false))
          .as("column %d", j)
          .isCloseTo(b[j] * scale, within(MARGIN_TOL));
    }
  }

  /** Sums a row or column with BigDecimal, so the check itself adds no rounding. */
  private static double exactSum(TransportPlan plan, int index, boolean row) {
    BigDecimal s = BigDecimal.ZERO;
    int len = row ? plan.columns() : plan.rows();
    for (int k = 0; k < len; k++) {
      double f = row ? plan.flowAt(index, k) : plan.flowAt(k, index);
      s = s.add(new BigDecimal(f));
    }
    return s.doubleValue();
  }
}

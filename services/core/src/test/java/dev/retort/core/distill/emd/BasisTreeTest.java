package dev.retort.core.distill.emd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BasisTreeTest {

  // a = (0.5, 0.5), b = (0.25, 0.5, 0.25), d = [[0, 1, 2], [2, 1, 0]].
  // North-west corner: (0,0) 0.25 [column 0 goes], (0,1) 0.25 [row 0 goes], (1,1) 0.25
  // [column 1 goes], (1,2) 0.25 [the last cell; row 1 is the root].
  private static final double[] MASS = {0.5, 0.5, 0.25, 0.5, 0.25};
  private static final double[][] D = {{0, 1, 2}, {2, 1, 0}};

  private static BasisTree northWestTree() {
    BasisTree tree = new BasisTree();
    tree.reset(2, 3);
    for (int i = 0; i < 2; i++) {
      System.arraycopy(D[i], 0, tree.cost, i * 3, 3);
    }
    System.arraycopy(MASS, 0, tree.mass, 0, MASS.length);
    double[] s = {0.5, 0.5};
    double[] d = {0.25, 0.5, 0.25};
    int[] rows = new int[4];
    int[] cols = new int[4];
    int[] leaves = new int[4];
    StartingBasis.northWest(2, 3, s, d, rows, cols, leaves);
    assertThat(rows).containsExactly(0, 0, 1, 1);
    assertThat(cols).containsExactly(0, 1, 1, 2);
    assertThat(leaves).containsExactly(2, 0, 3, 4); // column 0, row 0, column 1, column 2
    tree.build(rows, cols, leaves);
    return tree;
  }

  @Test
  void builtTreeHasTheStartFlowsAndPotentialsZeroAtTheLastRow() {
    BasisTree tree = northWestTree();
    assertThat(tree.flow).containsExactly(0.25, 0.25, 0, 0, 0.25, 0.25);
    // Root row 1: u1 = 0; v1 = 1, v2 = 0; u0 = d01 − v1 = 0; v0 = d00 − u0 = 0.
    assertThat(tree.potential).containsExactly(0, 0, 0, 1, 0);
    assertThat(tree.refreshFlows()).isZero();
  }

  @Test
  void refreshFlowsReportsPotentialDriftAndRebuildRemovesIt() {
    BasisTree tree = northWestTree();
    tree.potential[3] += 1e-3; // v1 no longer matches d01 − u0 nor d11 − u1
    tree.flow[0] = 0.3; // rounding history that the refresh must discard
    assertThat(tree.refreshFlows()).isCloseTo(1e-3, within(1e-15));
    assertThat(tree.flow).containsExactly(0.25, 0.25, 0, 0, 0.25, 0.25);
    tree.rebuild();
    assertThat(tree.refreshFlows()).isZero();
    // Rebuilt from row 0: u0 = 0, v0 = 0, v1 = 1, u1 = 0, v2 = 0.
    assertThat(tree.potential).containsExactly(0, 0, 0, 1, 0);
  }
}

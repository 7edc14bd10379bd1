package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionTreeTest {
  private static final List<Integer> REFERENCE = List.of(400, 800, 1600, 3200);

  @Test
  void heightIsOnePlusSearchsortedLeft() {
    assertThat(PartitionTree.height(0, REFERENCE)).isEqualTo(1);
    assertThat(PartitionTree.height(400, REFERENCE))
        .isEqualTo(1); // numpy: searchsorted(.., 400) = 0
    assertThat(PartitionTree.height(401, REFERENCE)).isEqualTo(2);
    assertThat(PartitionTree.height(1600, REFERENCE)).isEqualTo(3);
    assertThat(PartitionTree.height(5000, REFERENCE)).isEqualTo(5);
  }

  @Test
  void medianAveragesTheTwoMiddleValuesOfAnEvenCount() {
    assertThat(PartitionTree.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(PartitionTree.median(new double[] {5, 1, 3})).isEqualTo(3.0);
  }

  @Test
  void gbdtNodeSeparatesTheRegionWhereTheFirstFeatureIsLarge() {
    Random rnd = new Random(5);
    double[][] x = new double[200][];
    double[] f = new double[200];
    for (int i = 0; i < x.length; i++) {
      x[i] = features(rnd);
      f[i] = x[i][0]; // good region: feature 0 at or above its median
    }
    double median = PartitionTree.median(f);
    PartitionTree tree = PartitionTree.fit(x, f, 1, new GbdtTuner(4, 0.2), 11, 4);

    assertThat(tree.path()).hasSize(1);
    assertThat(tree.path().get(0).side()).isEqualTo(1);
    int agree = 0;
    int n = 500;
    for (int i = 0; i < n; i++) {
      double[] q = features(rnd);
      if (tree.onPath(q) == (q[0] >= median)) {
        agree++;
      }
    }
    assertThat(agree / (double) n).isGreaterThan(0.95);
  }

  @Test
  void greedyPathFollowsTheChildWithTheHigherMedianAtEveryLevel() {
    Random rnd = new Random(6);
    double[][] x = new double[400][];
    double[] f = new double[400];
    for (int i = 0; i < x.length; i++) {
      x[i] = features(rnd);
      f[i] = x[i][1]; // best region: feature 1 large, split twice
    }
    PartitionTree tree = PartitionTree.fit(x, f, 2, new GbdtTuner(2, 0.2), 12, 4);

    assertThat(tree.path()).hasSize(2);
    assertThat(tree.path().get(1).median()).isGreaterThan(tree.path().get(0).median());
    assertThat(tree.onPath(new double[] {0, 15, 0, 0, 0, 0})).isTrue();
    assertThat(tree.onPath(new double[] {0, 9, 0, 0, 0, 0})).isFalse();
  }

  @Test
  void childrenHoldTheSamplesOfTheirTrueLabelEvenWhereTheClassifierErrs() {
    // Feature 0 is 1 for 90 good and 30 bad samples, 0 for 10 good and 70 bad: no classifier can
    // tell the 40 minority samples from their twins, so it mispredicts them. The good child must
    // still hold exactly the 100 samples at or above the median (reference LearningPhase).
    int n = 200;
    double[][] x = new double[n][];
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      boolean good = i < 100;
      boolean one = good ? i < 90 : i < 130;
      x[i] = new double[] {one ? 1 : 0, 0};
      f[i] = good ? 0.6 + i * 1e-3 : 0.1 + i * 1e-3;
    }
    double[] goodFitness = java.util.Arrays.copyOf(f, 100);
    PartitionTree tree = PartitionTree.fit(x, f, 1, new GbdtTuner(1, 0.2), 3, 4);

    assertThat(tree.path()).hasSize(1);
    PartitionTree.Step root = tree.path().get(0);
    assertThat(root.classifier().predict(new double[] {1, 0})).isEqualTo(1);
    assertThat(root.classifier().predict(new double[] {0, 0})).isEqualTo(0);
    assertThat(root.side()).isEqualTo(1);
    assertThat(root.samples()).isEqualTo(100);
    assertThat(root.median()).isEqualTo(PartitionTree.median(goodFitness));
  }

  @Test
  void equalFitnessLeavesTheRootUnsplit() {
    double[][] x = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
    PartitionTree tree =
        PartitionTree.fit(x, new double[] {1, 1, 1, 1, 1}, 3, GbdtTuner.reference(), 1, 2);
    assertThat(tree.path()).isEmpty();
    assertThat(tree.onPath(new double[] {0, 0})).isTrue();
  }

  /** Six size-id-like features, integers 0..15. */
  private static double[] features(Random rnd) {
    double[] x = new double[6];
    for (int j = 0; j < x.length; j++) {
      x[j] = rnd.nextInt(16);
    }
    return x;
  }
}

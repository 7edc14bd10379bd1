package dev.retort.core.efficientbert.search;

import java.util.random.RandomGenerator;

/**
 * Hyper-parameters of one gradient-boosted tree classifier (Smile's {@code GradientTreeBoost}).
 *
 * @param trees number of boosting rounds
 * @param maxDepth largest tree depth, at least 2
 * @param maxNodes largest number of leaves per tree, at least 2
 * @param nodeSize smallest number of samples in a leaf, at least 1
 * @param shrinkage learning rate, in (0, 1]
 * @param subsample fraction of the samples each tree sees, in (0, 1]
 */
public record GbdtParams(
    int trees, int maxDepth, int maxNodes, int nodeSize, double shrinkage, double subsample) {

  /** Validates the ranges Smile accepts. */
  public GbdtParams {
    if (trees < 1 || maxDepth < 2 || maxNodes < 2 || nodeSize < 1) {
      throw new IllegalArgumentException(
          "need trees >= 1, maxDepth >= 2, maxNodes >= 2, nodeSize >= 1; got "
              + trees
              + ", "
              + maxDepth
              + ", "
              + maxNodes
              + ", "
              + nodeSize);
    }
    if (!(shrinkage > 0 && shrinkage <= 1) || !(subsample > 0 && subsample <= 1)) {
      throw new IllegalArgumentException(
          "shrinkage and subsample must be in (0, 1], got " + shrinkage + " and " + subsample);
    }
  }

  /** Returns the values tried first: 50 trees of depth 3, 8 leaves, leaves of 2, rate 0.1. */
  public static GbdtParams defaults() {
    return new GbdtParams(50, 3, 8, 2, 0.1, 1.0);
  }

  /**
   * Draws a random point of the tuning space: trees 20..150, depth 2..6, leaves 4..32, leaf size
   * 1..5, shrinkage log-uniform in [0.02, 0.3], subsample in [0.6, 1].
   *
   * @param rnd the random source
   * @return the hyper-parameters
   */
  public static GbdtParams random(RandomGenerator rnd) {
    return new GbdtParams(
        20 + rnd.nextInt(131),
        2 + rnd.nextInt(5),
        4 + rnd.nextInt(29),
        1 + rnd.nextInt(5),
        Math.exp(Math.log(0.02) + rnd.nextDouble() * (Math.log(0.3) - Math.log(0.02))),
        0.6 + 0.4 * rnd.nextDouble());
  }
}

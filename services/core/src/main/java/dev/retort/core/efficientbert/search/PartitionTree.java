package dev.retort.core.efficientbert.search;

import dev.retort.core.data.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The learned partition of the search space (LaNAS / LA-MCTS style; reference {@code
 * LearningPhase}, {@code utils/action_space.py:284-492}).
 *
 * <p>Fitting, for a node holding samples S (the root holds all):
 *
 * <pre>
 * median = median of the fitness in S
 * label  = 1 if fitness &gt;= median else 0
 * g      = GBDT classifier of label from features     (tuned by {@link GbdtTuner})
 * good   = { s in S : label(s) = 1 },  bad = { s in S : label(s) = 0 }
 * </pre>
 *
 * and the two children are fitted on {@code good} and {@code bad}, down to {@code height} levels of
 * classifiers. The children split by the true label, not by the classifier's prediction, as the
 * reference does ({@code action_space.py:444-445}): a sample the classifier gets wrong still goes
 * to the side of its fitness, so the good child's median is never below the bad child's. A node
 * becomes a leaf when it is at the height, holds fewer than {@code minSamples}, its labels are all
 * equal, or its classifier predicts one class for every sample (such a classifier says nothing
 * about the region; the reference instead re-fits until its validation error is below 0.5).
 *
 * <p>The chosen region is the greedy path from the root toward the child with the higher median
 * fitness (the good child on ties, and so always, given the split above); the reference's "UCB" is
 * this median minus a constant, with no exploration term. A candidate lies in the region when every
 * classifier on the path puts it on the path's side.
 */
public final class PartitionTree {
  /**
   * One classifier on the chosen path and the side the path takes.
   *
   * @param classifier the node's classifier
   * @param side 1 for the good child, 0 for the bad one
   * @param median the median fitness of the child the path enters
   * @param samples the number of samples in that child
   */
  public record Step(GbdtClassifier classifier, int side, double median, int samples) {}

  private static final class Node {
    GbdtClassifier classifier;
    Node good;
    Node bad;
    double median;
    int samples;
  }

  private final List<Step> path;

  private PartitionTree(List<Step> path) {
    this.path = List.copyOf(path);
  }

  /**
   * Returns the tree height for {@code n} samples: {@code 1 + searchsorted(thresholds, n)}, the
   * number of thresholds strictly below n, plus one (reference thresholds: 400, 800, 1600, 3200).
   *
   * @param n samples
   * @param thresholds ascending sample counts
   * @return the height, at least 1
   */
  public static int height(int n, List<Integer> thresholds) {
    return 1 + (int) thresholds.stream().filter(t -> t < n).count();
  }

  /**
   * Fits the tree and chooses the path.
   *
   * @param x feature vectors // [n, d]
   * @param fitness each sample's fitness // [n]
   * @param height levels of classifiers, at least 1
   * @param tuner fits one node's classifier
   * @param seed seeds every node's tuning (node k uses a sub-stream of it)
   * @param minSamples nodes with fewer samples are leaves (at least 2)
   * @return the fitted tree
   */
  public static PartitionTree fit(
      double[][] x, double[] fitness, int height, GbdtTuner tuner, long seed, int minSamples) {
    if (x.length != fitness.length || height < 1 || minSamples < 2) {
      throw new IllegalArgumentException(
          "need one fitness per sample, height >= 1 and minSamples >= 2");
    }
    int[] all = new int[x.length];
    Arrays.setAll(all, i -> i);
    Node root = build(x, fitness, all, height, tuner, seed, 1, minSamples);
    List<Step> path = new ArrayList<>();
    Node node = root;
    while (node.classifier != null) {
      boolean goGood = node.good.median >= node.bad.median;
      Node next = goGood ? node.good : node.bad;
      path.add(new Step(node.classifier, goGood ? 1 : 0, next.median, next.samples));
      node = next;
    }
    return new PartitionTree(path);
  }

  private static Node build(
      double[][] x,
      double[] fitness,
      int[] idx,
      int levels,
      GbdtTuner tuner,
      long seed,
      long id,
      int minSamples) {
    Node node = new Node();
    node.samples = idx.length;
    double[] f = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      f[i] = fitness[idx[i]];
    }
    node.median = median(f);
    if (levels == 0 || idx.length < minSamples) {
      return node;
    }
    double[][] xs = new double[idx.length][];
    int[] labels = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      xs[i] = x[idx[i]];
      labels[i] = f[i] >= node.median ? 1 : 0;
    }
    if (Arrays.stream(labels).distinct().count() < 2) {
      return node;
    }
    GbdtClassifier g = tuner.fit(xs, labels, SeededRandom.of(seed, id).nextLong());
    if (predictsOneClass(g, xs)) {
      return node;
    }
    List<Integer> good = new ArrayList<>();
    List<Integer> bad = new ArrayList<>();
    for (int i = 0; i < idx.length; i++) {
      (labels[i] == 1 ? good : bad).add(idx[i]);
    }
    node.classifier = g;
    node.good = build(x, fitness, toArray(good), levels - 1, tuner, seed, 2 * id + 1, minSamples);
    node.bad = build(x, fitness, toArray(bad), levels - 1, tuner, seed, 2 * id, minSamples);
    return node;
  }

  private static boolean predictsOneClass(GbdtClassifier g, double[][] xs) {
    int first = g.predict(xs[0]);
    for (double[] row : xs) {
      if (g.predict(row) != first) {
        return false;
      }
    }
    return true;
  }

  /** Returns the median, the mean of the two middle values for an even count (as numpy). */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Returns the chosen path, root first; empty when the root could not be split. */
  public List<Step> path() {
    return path;
  }

  /**
   * Returns whether every classifier on the path puts the features on the path's side.
   *
   * @param features a candidate's features // [d]
   * @return true on the path (always true for an empty path)
   */
  public boolean onPath(double[] features) {
    for (Step s : path) {
      if (s.classifier().predict(features) != s.side()) {
        return false;
      }
    }
    return true;
  }
}

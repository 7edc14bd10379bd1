package dev.retort.core.efficientbert.search;

import dev.retort.core.data.SeededRandom;
import dev.retort.core.efficientbert.Expr;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference's sampler: random candidates first, then candidates rejection-sampled inside the
 * region a {@link PartitionTree} learned from the evaluated ones (reference {@code SearchPhase},
 * {@code utils/action_space.py}).
 *
 * <ul>
 *   <li>The first {@code initSamples} proposals (reference: 80) are random.
 *   <li>After that the tree is fitted on the first {@code f} evaluated candidates, where {@code f}
 *       is the sample count at the latest re-fit: {@code f = n - (n - initSamples) mod interval}
 *       (re-fit every {@code interval} samples; reference: 10). Its height is {@link
 *       PartitionTree#height} of {@code f}.
 *   <li>Random candidates are drawn until one lies on the tree's path and is new, at most {@code
 *       maxTries} times (reference: 20000); after that a new random candidate is taken (logged).
 * </ul>
 *
 * <p>The tree is a function of the history prefix and the seed, so a resumed search refits the same
 * tree. The last tree is cached.
 */
public final class LearnedSampler implements CandidateSampler {
  private static final Logger LOG = LoggerFactory.getLogger(LearnedSampler.class);

  private final SearchSpace space;
  private final RandomSampler random;
  private final int initSamples;
  private final int trainInterval;
  private final List<Integer> heightThresholds;
  private final int maxTries;
  private final GbdtTuner tuner;
  private final int minSamples;
  private final long seed;
  private int cachedCount = -1;
  private PartitionTree cachedTree;

  private LearnedSampler(Builder b) {
    this.space = b.space;
    this.random = new RandomSampler(b.space, b.maxTries);
    this.initSamples = b.initSamples;
    this.trainInterval = b.trainInterval;
    this.heightThresholds = List.copyOf(b.heightThresholds);
    this.maxTries = b.maxTries;
    this.tuner = b.tuner;
    this.minSamples = b.minSamples;
    this.seed = b.seed;
  }

  /** Returns a builder with the reference's settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  public Optional<List<Expr>> propose(
      List<EvaluatedCandidate> history, Set<String> seen, RandomGenerator rnd) {
    if (history.size() < initSamples) {
      return random.propose(history, seen, rnd);
    }
    PartitionTree tree = tree(history);
    for (int t = 0; t < maxTries; t++) {
      Optional<List<Expr>> c = space.sample(rnd);
      if (c.isEmpty()) {
        return c;
      }
      if (tree.onPath(space.features(c.get())) && !seen.contains(space.key(c.get()))) {
        return c;
      }
    }
    LOG.warn("No new candidate on the learned path in {} tries; proposing a random one", maxTries);
    return random.propose(history, seen, rnd);
  }

  /**
   * Returns the tree the next proposal uses, fitted on the history prefix of the latest re-fit.
   *
   * @param history the evaluated candidates, at least {@code initSamples}
   * @return the tree
   */
  public PartitionTree tree(List<EvaluatedCandidate> history) {
    int n = history.size();
    int count = n - (n - initSamples) % trainInterval;
    if (count != cachedCount) {
      double[][] x = new double[count][];
      double[] f = new double[count];
      for (int i = 0; i < count; i++) {
        x[i] = space.features(history.get(i).spec().layers());
        f[i] = history.get(i).value();
      }
      int height = PartitionTree.height(count, heightThresholds);
      cachedTree =
          PartitionTree.fit(
              x, f, height, tuner, SeededRandom.of(seed, count).nextLong(), minSamples);
      cachedCount = count;
      LOG.info(
          "Partition re-fitted on {} candidates: height {}, path {}",
          count,
          height,
          cachedTree.path().stream().map(s -> s.side() + "@" + s.median()).toList());
    }
    return cachedTree;
  }

  /** {@inheritDoc} */
  @Override
  public String describe() {
    return "learned init="
        + initSamples
        + " interval="
        + trainInterval
        + " heights="
        + heightThresholds
        + " tries="
        + maxTries
        + " minSamples="
        + minSamples
        + " seed="
        + seed;
  }

  /** Builds a {@link LearnedSampler}; the space is required. */
  public static final class Builder {
    private SearchSpace space;
    private int initSamples = 80;
    private int trainInterval = 10;
    private List<Integer> heightThresholds = List.of(400, 800, 1600, 3200);
    private int maxTries = 20000;
    private GbdtTuner tuner = GbdtTuner.reference();
    private int minSamples = 4;
    private long seed = 42;

    private Builder() {}

    /** Sets where candidates come from. */
    public Builder setSpace(SearchSpace s) {
      this.space = s;
      return this;
    }

    /** Sets the number of random proposals before the first fit (default 80). */
    public Builder optInitSamples(int n) {
      this.initSamples = n;
      return this;
    }

    /** Sets the number of new samples between re-fits (default 10). */
    public Builder optTrainInterval(int n) {
      this.trainInterval = n;
      return this;
    }

    /** Sets the sample counts at which the tree grows a level (default 400, 800, 1600, 3200). */
    public Builder optHeightThresholds(List<Integer> t) {
      this.heightThresholds = t;
      return this;
    }

    /** Sets the rejection-sampling tries per proposal (default 20000). */
    public Builder optMaxTries(int n) {
      this.maxTries = n;
      return this;
    }

    /** Sets the classifier tuner (default 10 trials, 20% held out). */
    public Builder optTuner(GbdtTuner t) {
      this.tuner = t;
      return this;
    }

    /** Sets the smallest number of samples a node splits (default 4). */
    public Builder optMinSamples(int n) {
      this.minSamples = n;
      return this;
    }

    /** Sets the seed of the classifier fits (default 42). */
    public Builder optSeed(long s) {
      this.seed = s;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the sampler
     * @throws IllegalArgumentException if a count is out of range
     */
    public LearnedSampler build() {
      if (space == null || tuner == null || heightThresholds == null) {
        throw new IllegalStateException("You must set the search space");
      }
      if (initSamples < 1 || trainInterval < 1 || maxTries < 1 || minSamples < 2) {
        throw new IllegalArgumentException(
            "need initSamples >= 1, trainInterval >= 1, maxTries >= 1 and minSamples >= 2");
      }
      return new LearnedSampler(this);
    }
  }
}

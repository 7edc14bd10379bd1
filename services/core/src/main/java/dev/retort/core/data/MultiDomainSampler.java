package dev.retort.core.data;

import dev.retort.core.text.LengthBuckets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * HRKD's multi-domain batch sampler (methods.md 2.7 and 5.3; {@code MultiTaskBatchSampler}).
 *
 * <p>Each step yields b examples from every domain. With {@code n_f} training examples in the fit
 * domain, an epoch has {@code ceil(n_f / b)} steps. The fit domain is visited in order, never
 * shuffled: step k takes examples {@code (k*b + j) mod n_f}, j = 0..b-1, so the last batch wraps
 * around to the start. Every other domain d is truncated to its first {@code m_d = min(n_d, n_f)}
 * examples and cut cyclically into the same number of batches, batch k being {@code (k*b + j) mod
 * m_d}; in epoch e the order of those batches is {@code SeededRandom.of(seed, e,
 * d).permutation(steps)}. Examples inside a batch are never reordered, and every step is a pure
 * function of (seed, epoch, step), so a {@link BatchPosition} is enough to resume.
 *
 * <p>The permutation cannot reproduce Python's {@code random.shuffle}; the structure does.
 */
public final class MultiDomainSampler {
  private final List<EncodedDataset> domains;
  private final int fitDomain;
  private final int batchSize;
  private final LengthBuckets buckets;
  private final long seed;
  private final int steps;

  private MultiDomainSampler(Builder b) {
    this.domains = List.copyOf(b.domains);
    this.fitDomain = b.fitDomain;
    this.batchSize = b.batchSize;
    this.seed = b.seed;
    int longest = 1;
    for (EncodedDataset d : domains) {
      for (int i = 0; i < d.size(); i++) {
        longest = Math.max(longest, d.length(i));
      }
    }
    this.buckets = b.buckets != null ? b.buckets : LengthBuckets.standard(longest);
    if (longest > buckets.maxLength()) {
      throw new IllegalArgumentException(
          "an example of length " + longest + " exceeds the largest bucket " + buckets.maxLength());
    }
    int fit = domains.get(fitDomain).size();
    this.steps = (fit + batchSize - 1) / batchSize;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the number of steps per epoch, {@code ceil(n_fit / b)}. */
  public int stepsPerEpoch() {
    return steps;
  }

  /** Returns the number of domains D. */
  public int numDomains() {
    return domains.size();
  }

  /**
   * Returns the example indices of every domain at a step.
   *
   * @param epoch the epoch
   * @param step the step within the epoch
   * @return per domain, the indices into that domain's data set // [D, b]
   */
  public int[][] indices(int epoch, int step) {
    if (step < 0 || step >= steps || epoch < 0) {
      throw new IndexOutOfBoundsException(
          "step " + step + " of epoch " + epoch + "; an epoch has " + steps);
    }
    int fitSize = domains.get(fitDomain).size();
    int[][] out = new int[domains.size()][];
    for (int d = 0; d < domains.size(); d++) {
      int batch;
      int m;
      if (d == fitDomain) {
        batch = step;
        m = fitSize;
      } else {
        batch = SeededRandom.of(seed, epoch, d).permutation(steps)[step];
        m = Math.min(domains.get(d).size(), fitSize);
      }
      out[d] = cyclicBatch(batch, m);
    }
    return out;
  }

  private int[] cyclicBatch(int batch, int m) {
    int[] idx = new int[batchSize];
    long start = (long) batch * batchSize;
    for (int j = 0; j < batchSize; j++) {
      idx[j] = (int) ((start + j) % m);
    }
    return idx;
  }

  /**
   * Returns the step at a position.
   *
   * @param position the position
   * @return one padded batch per domain
   */
  public MultiDomainStep step(BatchPosition position) {
    return step(position.epoch(), position.index());
  }

  /**
   * Returns one step: a padded batch for every domain.
   *
   * @param epoch the epoch
   * @param step the step within the epoch
   * @return the step
   */
  public MultiDomainStep step(int epoch, int step) {
    int[][] indices = indices(epoch, step);
    List<Batch> batches = new ArrayList<>(domains.size());
    for (int d = 0; d < domains.size(); d++) {
      EncodedDataset data = domains.get(d);
      int longest = 0;
      for (int i : indices[d]) {
        longest = Math.max(longest, data.length(i));
      }
      batches.add(Batch.assemble(data, indices[d], buckets.bucketFor(longest), epoch, step));
    }
    return new MultiDomainStep(epoch, step, batches);
  }

  /**
   * Iterates over the steps of one epoch.
   *
   * @param epoch the epoch
   * @return the steps in order
   */
  public Iterable<MultiDomainStep> epoch(int epoch) {
    return () ->
        new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < steps;
          }

          @Override
          public MultiDomainStep next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return step(epoch, next++);
          }
        };
  }

  /** Builds a {@link MultiDomainSampler}. */
  public static final class Builder {
    private List<EncodedDataset> domains;
    private int fitDomain = -1;
    private int batchSize;
    private LengthBuckets buckets;
    private long seed = 42;

    private Builder() {}

    /**
     * Sets the training data of every domain, in domain-id order (required).
     *
     * @param domains one encoded data set per domain, none empty
     * @return this builder
     */
    public Builder setDomains(List<EncodedDataset> domains) {
      this.domains = domains;
      return this;
    }

    /**
     * Sets the fit domain, whose size fixes the epoch length (required; HRKD: telephone for MNLI,
     * books for Amazon).
     *
     * @param domainId the domain id
     * @return this builder
     */
    public Builder setFitDomain(int domainId) {
      this.fitDomain = domainId;
      return this;
    }

    /**
     * Sets the per-domain batch size b (required).
     *
     * @param batchSize b, at least 1
     * @return this builder
     */
    public Builder setBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Sets the length buckets (default {@link LengthBuckets#standard} of the longest example).
     *
     * @param buckets the buckets
     * @return this builder
     */
    public Builder optBuckets(LengthBuckets buckets) {
      this.buckets = buckets;
      return this;
    }

    /**
     * Sets the seed (default 42).
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds the sampler.
     *
     * @return the sampler
     */
    public MultiDomainSampler build() {
      if (domains == null || domains.isEmpty()) {
        throw new IllegalArgumentException("You must specify the domains (setDomains).");
      }
      if (fitDomain < 0 || fitDomain >= domains.size()) {
        throw new IllegalArgumentException(
            "fitDomain must be in [0, " + domains.size() + "), got " + fitDomain);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1 (setBatchSize)");
      }
      for (EncodedDataset d : domains) {
        if (d.size() == 0) {
          throw new IllegalArgumentException("domain data set " + d.name() + " is empty");
        }
      }
      return new MultiDomainSampler(this);
    }
  }
}

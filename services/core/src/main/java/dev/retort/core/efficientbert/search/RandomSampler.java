package dev.retort.core.efficientbert.search;

import dev.retort.core.efficientbert.Expr;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Random search: each proposal is a fresh random candidate of the space that was not evaluated
 * before. The baseline the learned sampler is compared against, and the learned sampler's first
 * {@code n_init} proposals.
 */
public final class RandomSampler implements CandidateSampler {
  private final SearchSpace space;
  private final int maxTries;

  /**
   * Creates the sampler.
   *
   * @param space where candidates come from
   * @param maxTries draws before giving up on finding a new candidate, at least 1
   */
  public RandomSampler(SearchSpace space, int maxTries) {
    if (maxTries < 1) {
      throw new IllegalArgumentException("max tries must be positive, got " + maxTries);
    }
    this.space = space;
    this.maxTries = maxTries;
  }

  /** {@inheritDoc} */
  @Override
  public Optional<List<Expr>> propose(
      List<EvaluatedCandidate> history, Set<String> seen, RandomGenerator rnd) {
    for (int t = 0; t < maxTries; t++) {
      Optional<List<Expr>> c = space.sample(rnd);
      if (c.isEmpty()) {
        return c;
      }
      if (!seen.contains(space.key(c.get()))) {
        return c;
      }
    }
    return Optional.empty();
  }

  /** {@inheritDoc} */
  @Override
  public String describe() {
    return "random tries=" + maxTries;
  }
}

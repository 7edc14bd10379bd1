package dev.retort.core.efficientbert.search;

import dev.retort.core.efficientbert.Expr;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Proposes the next candidate of a search from the candidates evaluated so far: {@link
 * RandomSampler} (the baseline) or {@link LearnedSampler} (the learned partition).
 *
 * <p>A proposal must depend only on the history and the given random source, which the controller
 * derives from (seed, stage, candidate index); this is what makes a resumed search propose the same
 * candidates as an uninterrupted one.
 */
public interface CandidateSampler {

  /**
   * Proposes a candidate whose key is not in {@code seen}.
   *
   * @param history the evaluated candidates, in evaluation order
   * @param seen the keys of the evaluated candidates
   * @param rnd this proposal's random source
   * @return one sized expression per layer, or empty if no new candidate was found
   */
  Optional<List<Expr>> propose(
      List<EvaluatedCandidate> history, Set<String> seen, RandomGenerator rnd);

  /** Returns a description of the sampler's settings, for state-file checks. */
  String describe();
}

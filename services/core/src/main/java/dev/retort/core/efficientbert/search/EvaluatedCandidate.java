package dev.retort.core.efficientbert.search;

/**
 * A candidate with its fitness: one entry of the search history and the hall of fame.
 *
 * @param spec the candidate
 * @param fitness its evaluation
 * @param key the deduplication key ({@link SearchSpace#key})
 */
public record EvaluatedCandidate(CandidateSpec spec, Fitness fitness, String key) {

  /** Returns the fitness value. */
  public double value() {
    return fitness.value();
  }
}

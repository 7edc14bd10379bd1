package dev.retort.core.efficientbert.search;

/**
 * Scores a candidate architecture: the pure function the search controller calls for every
 * candidate.
 *
 * <p>In-process implementations train and score the candidate here ({@link KdCandidateEvaluator}
 * for stages 1 and 2, {@link SharedWeightEvaluator} for stage 3); a remote implementation sends the
 * spec as a training request and waits for the answer. Implementations may throw: the controller
 * turns any runtime exception into fitness 0, as the reference does.
 */
@FunctionalInterface
public interface CandidateEvaluator {

  /**
   * Evaluates one candidate. The result must depend only on the spec (its expressions and seed), so
   * that a resumed search reproduces an uninterrupted one.
   *
   * @param spec the candidate
   * @return its fitness
   */
  Fitness evaluate(CandidateSpec spec);

  /**
   * Returns the settings that shape the fitness, for the state file's fingerprint.
   *
   * @return a description; by default the class name
   */
  default String describe() {
    return getClass().getSimpleName();
  }
}

package dev.retort.core.efficientbert.search;

/**
 * The outcome of evaluating one candidate.
 *
 * <p>As in the reference ({@code ffn_search.py:165-243}), a candidate whose evaluation fails (a
 * runtime error, a NaN loss) gets fitness 0 and the search goes on; {@link #failed()} and {@link
 * #error()} say why.
 *
 * @param value the best held-out metric of the candidate (0 when failed)
 * @param failed whether the evaluation failed
 * @param error what went wrong, or null
 * @param parameters the candidate's parameter count ({@code param_list} convention)
 * @param seconds the wall time the evaluation took
 */
public record Fitness(double value, boolean failed, String error, long parameters, double seconds) {

  /** Checks that the value is finite and a failure carries fitness 0. */
  public Fitness {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("fitness must be finite, got " + value);
    }
    if (failed && value != 0) {
      throw new IllegalArgumentException("a failed candidate has fitness 0, got " + value);
    }
  }

  /**
   * Returns a successful evaluation, or a failed one if the value is not finite.
   *
   * @param value the best held-out metric
   * @param parameters the candidate's parameter count
   * @param seconds the evaluation's wall time
   * @return the fitness
   */
  public static Fitness ok(double value, long parameters, double seconds) {
    if (!Double.isFinite(value)) {
      return failed("the fitness is " + value, parameters, seconds);
    }
    return new Fitness(value, false, null, parameters, seconds);
  }

  /**
   * Returns a failed evaluation, fitness 0.
   *
   * @param error what went wrong
   * @param parameters the candidate's parameter count (0 if unknown)
   * @param seconds the evaluation's wall time
   * @return the fitness
   */
  public static Fitness failed(String error, long parameters, double seconds) {
    return new Fitness(0, true, error, parameters, seconds);
  }
}

package dev.retort.core.efficientbert.search;

import java.util.Comparator;
import java.util.List;

/**
 * The best candidates of a search: highest fitness first, the earlier candidate first on ties
 * (reference: DEAP's {@code HallOfFame}, saved every 10 samples).
 */
public final class HallOfFame {
  /** Orders by fitness, descending, then by index. */
  public static final Comparator<EvaluatedCandidate> ORDER =
      Comparator.comparingDouble(EvaluatedCandidate::value)
          .reversed()
          .thenComparingInt(c -> c.spec().index());

  private HallOfFame() {}

  /**
   * Returns the top {@code k} candidates.
   *
   * @param history the evaluated candidates
   * @param k how many to keep, at least 1
   * @return at most k candidates, best first
   */
  public static List<EvaluatedCandidate> top(List<EvaluatedCandidate> history, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("hall of fame size must be positive, got " + k);
    }
    return history.stream().sorted(ORDER).limit(k).toList();
  }
}

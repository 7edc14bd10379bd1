package dev.retort.core.efficientbert.search;

import dev.retort.core.job.ConfigValues;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Creates the evaluator of {@code search.dispatch: platform}: one that sends every candidate as a
 * distill job to the distributed platform instead of training it in this process. The core has no
 * messaging, so the command line supplies it ({@code retort search --platform}).
 */
@FunctionalInterface
public interface CandidateDispatch {

  /**
   * Creates the evaluator of a search stage.
   *
   * @param job the search job
   * @param name the search's name (candidate job ids derive from it)
   * @param supernet the warmed-up supernet the candidates inherit their weights from
   * @param cancelled polled while waiting for candidates
   * @return the evaluator; it must be thread-safe ({@code search.parallel} candidates at once)
   */
  CandidateEvaluator create(ConfigValues job, String name, Path supernet, BooleanSupplier cancelled);
}

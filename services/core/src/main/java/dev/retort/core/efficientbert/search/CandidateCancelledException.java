package dev.retort.core.efficientbert.search;

/**
 * Thrown by an evaluator whose candidate was interrupted by a cancellation: the controller stops
 * without recording the candidate, so that a resumed search evaluates it again in full.
 */
public final class CandidateCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param index the interrupted candidate's index
   */
  public CandidateCancelledException(int index) {
    super("candidate " + index + " was cancelled before its evaluation finished");
  }
}

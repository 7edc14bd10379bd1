package dev.retort.core.run;

/** The job was cancelled; its newest checkpoint is kept and a later run resumes from it. */
public final class JobCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param phase the phase that was running
   * @param step the last completed step
   */
  public JobCancelledException(String phase, long step) {
    super("cancelled during " + phase + " after step " + step);
  }
}

package dev.retort.stack;

/**
 * The outcome of waiting for a component to become ready.
 *
 * @param ready whether it answered in time
 * @param lastError the last error seen while waiting, for the caller's message; empty if none
 */
public record Readiness(boolean ready, String lastError) {

  /** Returns the outcome "ready". */
  public static Readiness ok() {
    return new Readiness(true, "");
  }

  /**
   * Returns the outcome "not ready".
   *
   * @param lastError the last error seen
   * @return the outcome
   */
  public static Readiness failed(String lastError) {
    return new Readiness(false, lastError);
  }
}

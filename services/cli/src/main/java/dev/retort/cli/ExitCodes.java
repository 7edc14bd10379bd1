package dev.retort.cli;

import dev.retort.core.RetortException;

/** The exit codes of {@code retort}, and how an exception maps to one. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Any failure that is not the user's input: a bug, a crash, a failed write. */
  public static final int FAILURE = 1;

  /** Bad input: a missing or malformed job file, an unknown key, method or option. */
  public static final int BAD_INPUT = 2;

  private ExitCodes() {}

  /**
   * Returns the user-input error behind an exception, looking through its causes.
   *
   * @param t the exception
   * @return the {@link RetortException}, or null if the failure is not the user's input
   */
  public static RetortException userError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof RetortException r) {
        return r;
      }
    }
    return null;
  }

  /**
   * Returns the exit code of a failure.
   *
   * @param t the exception
   * @return {@link #BAD_INPUT} for user-input errors, else {@link #FAILURE}
   */
  public static int of(Throwable t) {
    return userError(t) != null ? BAD_INPUT : FAILURE;
  }
}

package dev.retort.trainer.messaging;

/**
 * The teacher service set a request aside on the dead-letter topic instead of computing it: its
 * output will not come. Fails the wait for that output ({@link TeacherIndexView#await}).
 */
public final class TeacherRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * Creates the exception.
   *
   * @param key the output's index key
   * @param reason the teacher's reason, from the dead letter
   */
  public TeacherRejectedException(String key, String reason) {
    super("the teacher service rejected the request for " + key + ": " + reason);
    this.reason = reason;
  }

  /** Returns the teacher's reason. */
  public String reason() {
    return reason;
  }
}

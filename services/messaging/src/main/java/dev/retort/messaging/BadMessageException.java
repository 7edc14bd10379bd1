package dev.retort.messaging;

import dev.retort.core.RetortException;

/**
 * A record that cannot be processed as it is: it does not parse, has an unknown schema version, or
 * holds a tensor whose shape and bytes disagree.
 *
 * <p>Such a record is never retried: the consumer sets it aside on the dead-letter topic with
 * {@link #reason()} and goes on with the next one. It is a {@link RetortException}, so where the
 * record came from a user (a training request), the user sees where, what and how to fix it.
 */
public class BadMessageException extends RetortException {
  private static final long serialVersionUID = 1L;

  /** The fix of a record that only a bug in its producer (or a corrupted log) can explain. */
  public static final String SENDER_FIX =
      "The producer of this record is out of date or broken; the record was set aside on "
          + Topics.DEAD_LETTERS;

  /**
   * Creates an error about a record written by a retort service.
   *
   * @param where the field or tensor the problem is in
   * @param what what is wrong
   */
  public BadMessageException(String where, String what) {
    this(where, what, SENDER_FIX, null);
  }

  /**
   * Creates an error with its own fix, for records that come from users.
   *
   * @param where the field or tensor the problem is in
   * @param what what is wrong
   * @param fix what the sender should do
   */
  public BadMessageException(String where, String what, String fix) {
    this(where, what, fix, null);
  }

  /**
   * Creates an error with a fix and a cause.
   *
   * @param where the field or tensor the problem is in
   * @param what what is wrong
   * @param fix what the sender should do
   * @param cause the parser's exception, kept for logs
   */
  public BadMessageException(String where, String what, String fix, Throwable cause) {
    super(where, what, fix, cause);
  }

  /** Returns where and what, without the fix: the reason recorded on a dead letter. */
  public String reason() {
    return where() == null || where().isEmpty() ? what() : where() + ": " + what();
  }
}

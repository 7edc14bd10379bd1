package dev.retort.core;

/**
 * An error caused by the user's input (a file, a job key, a model reference), worded so the user
 * can fix it without reading a stack trace.
 *
 * <p>The message always has three parts: where the problem is (a file and line, a job key, a
 * tensor name), what is wrong, and what to do about it. Command-line tools print {@link
 * #getMessage()} alone; services put it in a {@code rejected} or {@code failed} event.
 */
public class RetortException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String where;
  private final String what;
  private final String fix;

  /**
   * Creates an error.
   *
   * @param where the file and line, job key or tensor name the problem is in
   * @param what what is wrong
   * @param fix what the user should do
   */
  public RetortException(String where, String what, String fix) {
    this(where, what, fix, null);
  }

  /**
   * Creates an error with a cause.
   *
   * @param where the file and line, job key or tensor name the problem is in
   * @param what what is wrong
   * @param fix what the user should do
   * @param cause the underlying exception, kept for logs
   */
  public RetortException(String where, String what, String fix, Throwable cause) {
    super(format(where, what, fix), cause);
    this.where = where;
    this.what = what;
    this.fix = fix;
  }

  private static String format(String where, String what, String fix) {
    StringBuilder sb = new StringBuilder();
    if (where != null && !where.isEmpty()) {
      sb.append(where).append(": ");
    }
    sb.append(what);
    if (fix != null && !fix.isEmpty()) {
      sb.append(". ").append(fix);
      if (!fix.endsWith(".") && !fix.endsWith("?") && !fix.endsWith("!")) {
        sb.append('.');
      }
    }
    return sb.toString();
  }

  /** Returns where the problem is: a file and line, a job key or a tensor name. */
  public String where() {
    return where;
  }

  /** Returns what is wrong. */
  public String what() {
    return what;
  }

  /** Returns what the user should do. */
  public String fix() {
    return fix;
  }
}

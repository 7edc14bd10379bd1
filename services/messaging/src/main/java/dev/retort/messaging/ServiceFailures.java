package dev.retort.messaging;

/**
 * The reason a dead letter gives when a service itself failed on a record, rather than the record
 * being wrong.
 *
 * <p>Handlers catch {@link Throwable} at their boundary: an {@link Error} such as {@link
 * OutOfMemoryError} that escaped would be acknowledged by the channel's {@code
 * failure-strategy=ignore} and the record lost without a trace. When the JVM survives, the record
 * is dead-lettered with this reason instead, which says that the replica, not the record, was at
 * fault and that the record can be sent again once the replica is sound.
 */
public final class ServiceFailures {
  private ServiceFailures() {}

  /**
   * Returns the reason for a failure of the service.
   *
   * @param what what failed, e.g. {@code "the loss service"}
   * @param e what it threw
   * @return the reason
   */
  public static String reason(String what, Throwable e) {
    String reason = what + " failed: " + e;
    if (e instanceof Error) {
      reason += " (a fault of the replica, not of this record: once the replica is sound again,"
          + " for example given more memory, send the record again from the dead letters)";
    }
    return reason;
  }
}

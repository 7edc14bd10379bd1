package dev.retort.messaging;

import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure that passes from one that says something about the record, as Kafka's examples
 * classify errors: fatal, retriable, skip.
 *
 * <p>A send that was not acknowledged in time, a retriable Kafka error (no leader, not enough
 * replicas, a network error, Kafka's own timeout) or an interrupt (the replica shuts down) says
 * nothing about the record: sending again later may succeed. Such a record is never
 * dead-lettered; it is handled again, or left uncommitted so that it is delivered again. Anything
 * else (a record too large, a record that does not decode) is the record's own and stays so.
 */
public final class TransientFailures {
  private TransientFailures() {}

  /**
   * Returns whether a failure, or any of its causes, passes with time.
   *
   * @param error what a send or a handler threw
   * @return true for a timeout, a {@link RetriableException} or an interrupt
   */
  public static boolean isTransient(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof RetriableException
          || t instanceof InterruptedException
          || t instanceof InterruptException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}

package dev.retort.messaging;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;

/** Conversions between {@link Instant} and the protobuf {@link Timestamp}. */
public final class ProtoTimes {
  private ProtoTimes() {}

  /**
   * Returns the timestamp of an instant, to the nanosecond.
   *
   * @param instant the instant
   * @return the timestamp
   */
  public static Timestamp of(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /**
   * Returns the clock's current time as a timestamp.
   *
   * @param clock the clock
   * @return the timestamp
   */
  public static Timestamp now(Clock clock) {
    return of(clock.instant());
  }

  /**
   * Returns the instant of a timestamp.
   *
   * @param timestamp the timestamp
   * @return the instant
   */
  public static Instant toInstant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}

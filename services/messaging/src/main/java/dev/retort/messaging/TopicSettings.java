package dev.retort.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * The configurable parts of retort's topics (see {@link Topics#specs}).
 *
 * @param teacherOutputRetention how long teacher outputs stay replayable
 * @param deadLetterRetention how long dead letters are kept for inspection
 * @param maxMessageBytes {@code max.message.bytes} of every topic: the largest record batch;
 *     producers keep {@code max.request.size} and chunks below it ({@link ClientConfigs},
 *     {@link Chunker#forMaxRequestSize})
 */
public record TopicSettings(
    Duration teacherOutputRetention, Duration deadLetterRetention, int maxMessageBytes) {

  /** Default retention of teacher outputs: 7 days. */
  public static final Duration DEFAULT_TEACHER_OUTPUT_RETENTION = Duration.ofDays(7);
  /** Default retention of dead letters: 14 days. */
  public static final Duration DEFAULT_DEAD_LETTER_RETENTION = Duration.ofDays(14);
  /**
   * Default {@code max.message.bytes}: 1 MiB, Kafka's own producer limit and what most clusters
   * accept; large values travel in chunks.
   */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
  /** Smallest accepted {@code max.message.bytes}: chunks need room for their headers. */
  public static final int MIN_MAX_MESSAGE_BYTES = 16 * 1024;

  /** Checks the values. */
  public TopicSettings {
    Objects.requireNonNull(teacherOutputRetention, "teacherOutputRetention");
    Objects.requireNonNull(deadLetterRetention, "deadLetterRetention");
    if (teacherOutputRetention.isNegative() || teacherOutputRetention.isZero()) {
      throw new IllegalArgumentException(
          "teacherOutputRetention must be positive: " + teacherOutputRetention);
    }
    if (deadLetterRetention.isNegative() || deadLetterRetention.isZero()) {
      throw new IllegalArgumentException(
          "deadLetterRetention must be positive: " + deadLetterRetention);
    }
    if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be at least " + MIN_MAX_MESSAGE_BYTES + ": " + maxMessageBytes);
    }
  }

  /** Returns the defaults. */
  public static TopicSettings defaults() {
    return builder().build();
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link TopicSettings}; every value has a default. */
  public static final class Builder {
    private Duration teacherOutputRetention = DEFAULT_TEACHER_OUTPUT_RETENTION;
    private Duration deadLetterRetention = DEFAULT_DEAD_LETTER_RETENTION;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

    private Builder() {}

    /** Sets the retention of teacher outputs (default 7 days). */
    public Builder optTeacherOutputRetention(Duration retention) {
      this.teacherOutputRetention = retention;
      return this;
    }

    /** Sets the retention of dead letters (default 14 days). */
    public Builder optDeadLetterRetention(Duration retention) {
      this.deadLetterRetention = retention;
      return this;
    }

    /** Sets {@code max.message.bytes} of every topic (default 1 MiB). */
    public Builder optMaxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /** Validates and returns the settings. */
    public TopicSettings build() {
      return new TopicSettings(teacherOutputRetention, deadLetterRetention, maxMessageBytes);
    }
  }
}

package dev.retort.service.setup;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The {@code retort.<service>.topics.*} group that the teacher, loss and evaluator services share:
 * whether and how each creates retort's missing topics at start-up ({@link StartupTopics}).
 */
public interface TopicCreationConfig {
  /** Create missing retort topics at start-up ({@code dev.retort.messaging.TopicAdmin}). */
  @WithDefault("true")
  boolean createOnStart();

  /** Retention of teacher outputs on a newly created output topic. */
  @WithDefault("7d")
  Duration teacherOutputRetention();

  /** Retention of dead letters on a newly created dead-letter topic. */
  @WithDefault("14d")
  Duration deadLetterRetention();

  /** {@code max.message.bytes} of newly created topics. */
  @WithDefault("1048576")
  int maxMessageBytes();
}

package dev.retort.messaging.service;

import dev.retort.messaging.TopicAdmin;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Creates retort's missing topics ({@link Topics#specs}) on a background thread, retrying every
 * 10 s until the cluster answers, so a fresh cluster needs no separate set-up step.
 */
public final class TopicCreation {
  /** How long one attempt may wait for the cluster. */
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

  private final ClusterAccess cluster;
  private final Supplier<TopicSettings> settings;
  private final Logger log;
  private final Duration retryAfter;
  private volatile boolean done;
  private volatile boolean stopped;

  /**
   * Creates the task; {@link #start} runs it.
   *
   * @param cluster where the cluster is (read on the background thread, at each attempt)
   * @param settings returns how new topics are created; called once, on the background thread,
   *     so settings are built (and validated) only when creation is enabled
   * @param log where failed attempts are reported (the wrapping bean's logger)
   */
  public TopicCreation(ClusterAccess cluster, Supplier<TopicSettings> settings, Logger log) {
    this(cluster, settings, log, Duration.ofSeconds(10));
  }

  TopicCreation(ClusterAccess cluster, Supplier<TopicSettings> settings, Logger log,
      Duration retryAfter) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.log = Objects.requireNonNull(log, "log");
    this.retryAfter = retryAfter;
  }

  /**
   * Starts creating the topics on the daemon thread {@code retort-topic-setup}, or, when creation
   * is disabled, marks the topics as done at once.
   *
   * @param enabled whether to create missing topics at all
   */
  public void start(boolean enabled) {
    if (!enabled) {
      done = true;
      return;
    }
    Thread t = new Thread(this::run, "retort-topic-setup");
    t.setDaemon(true);
    t.start();
  }

  private void run() {
    TopicSettings topicSettings = settings.get();
    while (!done && !stopped) {
      try {
        TopicAdmin.ensure(cluster.bootstrap(), Topics.specs(topicSettings), cluster.security(),
            ATTEMPT_TIMEOUT);
        done = true;
      } catch (RuntimeException e) {
        log.warn("Cannot create the topics yet: {}; retrying in {} s", e.getMessage(),
            retryAfter.toSeconds());
        try {
          Thread.sleep(retryAfter.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Stops retrying (an attempt under way finishes). */
  public void stop() {
    stopped = true;
  }

  /** Returns whether the topics exist (or creation is disabled). */
  public boolean done() {
    return done;
  }
}

package dev.retort.evaluator.messaging;

import dev.retort.messaging.TopicAdmin;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.evaluator.config.EvaluatorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates retort's missing topics at start-up on a background thread, retrying every 10 s until
 * the cluster answers, so a fresh cluster needs no separate set-up step.
 */
@ApplicationScoped
public class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  private final KafkaClients clients;
  private final EvaluatorConfig.Topics config;
  private volatile boolean done;
  private volatile boolean stopped;

  /**
   * Creates the task.
   *
   * @param clients where the cluster is
   * @param config the service settings
   */
  @Inject
  public TopicSetup(KafkaClients clients, EvaluatorConfig config) {
    this.clients = clients;
    this.config = config.topics();
  }

  void onStart(@Observes StartupEvent event) {
    if (!config.createOnStart()) {
      done = true;
      return;
    }
    Thread t = new Thread(this::run, "retort-topic-setup");
    t.setDaemon(true);
    t.start();
  }

  private void run() {
    TopicSettings settings = TopicSettings.builder()
        .optTeacherOutputRetention(config.teacherOutputRetention())
        .optDeadLetterRetention(config.deadLetterRetention())
        .optMaxMessageBytes(config.maxMessageBytes())
        .build();
    while (!done && !stopped) {
      try {
        TopicAdmin.ensure(clients.bootstrap(), Topics.specs(settings), clients.security(),
            Duration.ofSeconds(30));
        done = true;
      } catch (RuntimeException e) {
        LOG.warn("Cannot create the topics yet: {}; retrying in 10 s", e.getMessage());
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @jakarta.annotation.PreDestroy
  void stop() {
    stopped = true;
  }

  /** Returns whether the topics exist (or creation is disabled). */
  public boolean done() {
    return done;
  }
}

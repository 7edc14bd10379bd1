package dev.retort.trainer.health;

import dev.retort.messaging.Topics;
import dev.retort.trainer.TrainerService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the broker answers, the request loop runs, the teacher index has been read, and every
 * reader a step depends on is still reading: a trainer whose loss-reply reader died would wait out
 * every step's loss timeout, and one whose control reader died would not see a cancel.
 */
@Readiness
@ApplicationScoped
public class TrainerReadiness implements HealthCheck {
  private final TrainerService service;
  private final BrokerProbe broker;

  /** A thread the trainer needs, named as the health response names it when it is not running. */
  record Reader(String what, BooleanSupplier running) {}

  /**
   * Creates the check.
   *
   * @param service the trainer
   * @param broker the broker probe
   */
  @Inject
  public TrainerReadiness(TrainerService service, BrokerProbe broker) {
    this.service = service;
    this.broker = broker;
  }

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("retort-trainer");
    String problem = broker.problem();
    if (problem != null) {
      return r.down().withData("error", problem).build();
    }
    if (service.runner() == null || !service.runner().alive()) {
      return r.down().withData("error", "the job request loop is not running").build();
    }
    if (!service.index().ready()) {
      return r.down().withData("error", "still reading the teacher index").build();
    }
    String stopped = firstStopped(List.of(
        new Reader("the reader of " + Topics.LOSS_REPLIES, () -> service.replies().alive()),
        new Reader("the reader of " + Topics.JOB_CONTROL, () -> service.control().alive()),
        new Reader("the reader of " + Topics.DEAD_LETTERS, () -> service.rejections().alive())));
    if (stopped != null) {
      return r.down().withData("error", stopped + " has stopped; restart the trainer").build();
    }
    String job = service.runner().runningJob();
    return r.up().withData("running-job", job == null ? "none" : job).build();
  }

  /**
   * Returns the first reader that is not running, or null when all are.
   *
   * @param readers the readers, in the order they are reported
   * @return the reader's name, or null
   */
  static String firstStopped(List<Reader> readers) {
    for (Reader reader : readers) {
      if (!reader.running().getAsBoolean()) {
        return reader.what();
      }
    }
    return null;
  }
}

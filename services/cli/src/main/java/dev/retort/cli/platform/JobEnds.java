package dev.retort.cli.platform;

import dev.retort.proto.v1.JobEvent;

/**
 * Which job events end a job: finished, rejected, cancelled, and a failure that ends it. A failed
 * event with {@code job_continues} (a checkpoint not evaluated, a loss request not served) is
 * shown, but the job goes on and the watch with it.
 */
public final class JobEnds {
  private JobEnds() {}

  /**
   * Returns whether an event ends its job.
   *
   * @param e the event
   * @return whether it is the job's last
   */
  public static boolean ends(JobEvent e) {
    return switch (e.getKindCase()) {
      case FINISHED, REJECTED, CANCELLED -> true;
      case FAILED -> !e.getFailed().getJobContinues();
      default -> false;
    };
  }
}

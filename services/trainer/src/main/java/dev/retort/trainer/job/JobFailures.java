package dev.retort.trainer.job;

import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;
import java.util.concurrent.CancellationException;

/**
 * Says why a job failed and what to do, for a job's failed event and state: a {@link
 * RetortException} says it itself; any other exception or error is named, with the fix that fits
 * it.
 */
public final class JobFailures {
  private JobFailures() {}

  /**
   * Returns the reason of a failed job.
   *
   * @param error what ended the job
   * @param job the job, for the settings a fix names (may be null)
   * @return what went wrong and what to do
   */
  public static String reason(Throwable error, ConfigValues job) {
    if (error instanceof RetortException) {
      return error.getMessage();
    }
    if (error instanceof OutOfMemoryError) {
      return "the trainer ran out of memory (" + error + ")" + size(job) + ". Lower distill.training.batch-size"
          + " or task.max-length (or raise distill.training.grad-accumulation to split each batch), or give"
          + " the trainer more memory (its heap, -Xmx, and the container's memory limit), then submit the"
          + " job again under a new job id";
    }
    if (error instanceof StackOverflowError) {
      return "the trainer hit " + error + ". Read the trainer's log for the stack trace and report it with"
          + " the job; a smaller job (fewer layers, a lower task.max-length) may pass";
    }
    if (error instanceof LinkageError) {
      return "the trainer could not load code it needs (" + error + "). The trainer's image or its native"
          + " libraries are broken: redeploy it, then submit the job again under a new job id";
    }
    return "unexpected " + error + ". Read the trainer's log for the stack trace of the job and report it";
  }

  /** The job's batch, as a fix names it; empty when the job is not known. */
  private static String size(ConfigValues job) {
    if (job == null) {
      return "";
    }
    try {
      return " with batches of " + job.integer("distill.training.batch-size") + " examples of up to "
          + job.integer("task.max-length") + " tokens";
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * Returns whether a job ended because one of its waits (a teacher output, a loss reply) was
   * cancelled: the trainer closes those waits when it shuts down.
   */
  public static boolean cancelledWait(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CancellationException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}

package dev.retort.evaluator.evaluation;

import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.TaskData;

/**
 * A job as the evaluator needs it.
 *
 * @param job the parsed job, defaults filled in
 * @param task its resolved data
 */
public record JobData(ConfigValues job, TaskData task) {

  /** Returns the job's name: {@code name} when set, else the job id. */
  public String name(String jobId) {
    return job.has("name") ? job.str("name") : jobId;
  }
}

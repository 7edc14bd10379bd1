package dev.retort.evaluator.evaluation;

import java.nio.file.Path;

/**
 * A checked checkpoint announcement.
 *
 * @param jobId the job
 * @param role {@code teacher} or {@code student}
 * @param phase the training phase
 * @param step the step the weights belong to
 * @param path the model directory as announced (artifact-store path)
 * @param modelDir the model directory, resolved inside the store
 * @param last whether it is the role's final checkpoint
 * @param data the job and its data
 */
public record CheckpointTask(String jobId, String role, String phase, long step, String path,
    Path modelDir, boolean last, JobData data) {

  /** The student role. */
  public static final String STUDENT = "student";
  /** The teacher role. */
  public static final String TEACHER = "teacher";

  /** Returns whether this is a student checkpoint. */
  public boolean student() {
    return STUDENT.equals(role);
  }
}

package dev.retort.core.run;

import java.nio.file.Path;

/**
 * Where a job's models are scored. In-process runs score them here; the student-training service
 * hands them to the evaluator service instead: at every evaluation point it writes a model
 * snapshot and announces it, and the evaluator decides which snapshot is best and builds the final
 * table.
 */
public interface Evaluations {

  /** Returns whether the models are scored in this process. */
  boolean inProcess();

  /**
   * Announces a model to be scored elsewhere.
   *
   * @param role {@code teacher} or {@code student}
   * @param phase the training phase
   * @param step the step the weights belong to
   * @param modelDir the model directory written for it
   * @param last whether it is the role's last model of the job (score it on test, build the table)
   */
  void announce(String role, String phase, long step, Path modelDir, boolean last);

  /** Everything in this process. */
  Evaluations IN_PROCESS = new Evaluations() {
    @Override
    public boolean inProcess() {
      return true;
    }

    @Override
    public void announce(String role, String phase, long step, Path modelDir, boolean last) {}
  };
}

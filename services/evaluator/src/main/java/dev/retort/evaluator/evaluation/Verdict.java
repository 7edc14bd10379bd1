package dev.retort.evaluator.evaluation;

import dev.retort.core.run.JobResult;
import dev.retort.core.run.ModelScore;

/**
 * The outcome of one checkpoint.
 *
 * @param scored the checkpoint's dev scores (and test scores for a final teacher)
 * @param best whether it is the role's best checkpoint so far
 * @param bestValue the role's best dev value so far
 * @param finalScore the role's final score, for a final checkpoint; else null
 * @param summary the job's end, for the student's final checkpoint; else null
 * @param reused whether the scores were read from the {@link dev.retort.core.run.TeacherScoreCache}, not computed
 * @param repeated whether this checkpoint was scored and published before, as an evaluation point
 *     that the trainer then announced again as its final checkpoint: its scores are not published
 *     again, only what the final checkpoint adds (the summary)
 */
public record Verdict(Scored scored, boolean best, double bestValue, ModelScore finalScore,
    Summary summary, boolean reused, boolean repeated) {

  /**
   * The end of a job: the best student scored on dev and test, exported, and compared with the
   * teacher.
   *
   * @param bestStep the step of the best student checkpoint
   * @param result teacher and student scores (the teacher's null when its final checkpoint was
   *     not evaluated), the run directory and the export
   * @param exportPath the export's artifact-store path; empty when {@code output.export} is off
   */
  public record Summary(long bestStep, JobResult result, String exportPath) {}
}

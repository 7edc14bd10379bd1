package dev.retort.core.run;

import java.nio.file.Path;

/**
 * The outcome of a job: teacher and student scores and where the results are.
 *
 * @param name the job name
 * @param method the distillation method
 * @param teacher the teacher's score
 * @param student the best student's score
 * @param runDir the run directory
 * @param export the exported student directory, or null
 */
public record JobResult(String name, String method, ModelScore teacher, ModelScore student, Path runDir, Path export) {

  /** Returns student ÷ teacher of the headline metric. */
  public double retained() {
    return student.headline() / teacher.headline();
  }

  /** Returns teacher latency ÷ student latency. */
  public double speedup() {
    return teacher.latencyMs() / student.latencyMs();
  }
}

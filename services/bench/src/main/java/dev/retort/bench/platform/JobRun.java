package dev.retort.bench.platform;

import dev.retort.bench.compute.Stats;
import java.util.List;

/**
 * How one job went: its end, its wall time and the examples/s of each step of its distillation
 * phase (from the trainer's progress reports: examples of the step ÷ the step's wall time).
 *
 * @param jobId the job
 * @param outcome {@code finished}, {@code failed}, {@code rejected}, {@code cancelled} or {@code
 *     timeout}
 * @param reason why it did not finish, or empty
 * @param wallSeconds from submission (or start) to its end
 * @param stepExamplesPerSecond one value per distillation step, in step order
 */
public record JobRun(
    String jobId,
    String outcome,
    String reason,
    double wallSeconds,
    List<Double> stepExamplesPerSecond) {

  /** Copies the list. */
  public JobRun {
    stepExamplesPerSecond = List.copyOf(stepExamplesPerSecond);
    reason = reason == null ? "" : reason;
  }

  /** Returns whether the job finished. */
  public boolean finished() {
    return "finished".equals(outcome);
  }

  /**
   * Returns the median examples/s of the distillation steps after the first (the first step pays
   * for loading and for the first teacher batch).
   *
   * @return the median, or NaN without a second step
   */
  public double medianExamplesPerSecond() {
    if (stepExamplesPerSecond.size() < 2) {
      return Double.NaN;
    }
    return Stats.median(stepExamplesPerSecond.subList(1, stepExamplesPerSecond.size()));
  }
}

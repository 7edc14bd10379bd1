package dev.retort.bench.platform;

import dev.retort.bench.compute.Stats;
import dev.retort.core.train.StepTimer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param stepParts per distillation step, its seconds by step-timer part and {@link #STEP}
 */
public record JobRun(
    String jobId,
    String outcome,
    String reason,
    double wallSeconds,
    List<Double> stepExamplesPerSecond,
    List<Map<String, Double>> stepParts) {

  /** The key of a step's whole wall time in {@link #stepParts}. */
  public static final String STEP = "step";

  /** Copies the lists. */
  public JobRun {
    stepExamplesPerSecond = List.copyOf(stepExamplesPerSecond);
    stepParts = stepParts.stream().map(Map::copyOf).toList();
    reason = reason == null ? "" : reason;
  }

  /**
   * Returns where the distillation steps' time went: the median seconds of each part (teacher wait,
   * forward, loss round trip, backward, optimiser, and {@link #STEP} for the whole step) over the
   * steps after the first, as the trainer's step timer reported them; forward is the student's own
   * (the timer's forward part minus the teacher wait and the loss round trip inside it).
   *
   * @return part → median seconds, in the step's order; empty without a second step
   */
  public Map<String, Double> medianStepSplit() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (stepParts.size() < 2) {
      return out;
    }
    List<Map<String, Double>> later = stepParts.subList(1, stepParts.size());
    for (String part : PARTS) {
      out.put(part, Stats.median(later.stream().map(m -> own(m, part)).toList()));
    }
    return out;
  }

  /**
   * Returns every distillation step's split, in step order, with the parts of {@link
   * #medianStepSplit()} (forward is the student's own): a median hides the slow steps that {@link
   * #examplesPerSecond(int)} counts.
   *
   * @return one map of part → seconds per step
   */
  public List<Map<String, Double>> stepSplits() {
    return stepParts.stream()
        .map(
            step -> {
              Map<String, Double> out = new LinkedHashMap<>();
              PARTS.forEach(part -> out.put(part, own(step, part)));
              return out;
            })
        .toList();
  }

  /** A part's seconds; the timer's forward part contains the teacher wait and the loss round trip. */
  private static double own(Map<String, Double> step, String part) {
    double v = step.getOrDefault(part, 0.0);
    if (StepTimer.FORWARD.equals(part)) {
      v -= step.getOrDefault(StepTimer.TEACHER, 0.0) + step.getOrDefault(StepTimer.LOSS_SERVICE, 0.0);
    }
    return v;
  }

  private static final List<String> PARTS =
      List.of(StepTimer.TEACHER, StepTimer.FORWARD, StepTimer.LOSS_SERVICE, StepTimer.BACKWARD,
          StepTimer.OPTIMIZER, STEP);

  /** Returns whether the job finished. */
  public boolean finished() {
    return "finished".equals(outcome);
  }

  /**
   * Returns the examples/s of the distillation steps from step {@code fromStep} on, taken
   * together: their examples ÷ their seconds. Unlike the median of per-step rates, this weighs
   * each step by its time, so batches of different padded lengths count as the job spends them.
   *
   * @param fromStep the first step counted (0: every step)
   * @return the rate, or NaN without a step from there
   */
  public double examplesPerSecond(int fromStep) {
    return examplesPerSecond(List.of(this), fromStep);
  }

  /**
   * Returns the examples/s of several runs' distillation steps from step {@code fromStep} on,
   * pooled: all their examples ÷ all their seconds, so that a run of slow steps weighs as much as
   * the time it took.
   *
   * @param runs the runs
   * @param fromStep the first step of each run counted (0: every step)
   * @return the rate, or NaN without a step from there in any run
   */
  public static double examplesPerSecond(List<JobRun> runs, int fromStep) {
    double examples = 0;
    double seconds = 0;
    for (JobRun r : runs) {
      for (int i = fromStep; i < r.stepExamplesPerSecond.size() && i < r.stepParts.size(); i++) {
        double t = r.stepParts.get(i).getOrDefault(STEP, Double.NaN);
        examples += r.stepExamplesPerSecond.get(i) * t;
        seconds += t;
      }
    }
    return seconds > 0 ? examples / seconds : Double.NaN;
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

package dev.retort.bench.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRunTest {

  /** A step as the trainer's timer reports it: its forward part contains the teacher wait and the loss round trip. */
  private static Map<String, Double> step(double teacher, double forward, double loss, double backward, double opt) {
    return Map.of("teacher", teacher, "forward", teacher + forward + loss, "loss-service", loss, "backward", backward,
        "optimizer", opt, JobRun.STEP, teacher + forward + loss + backward + opt + 0.01);
  }

  @Test
  void stepSplitIsTheMedianOfEachPartOverTheStepsAfterTheFirst() {
    JobRun r = new JobRun("j", "finished", "", 10, List.of(1.0, 2.0, 3.0, 4.0), List.of(
        step(9, 9, 9, 9, 9), // the first step: loading, first teacher batch; left out
        step(0.1, 0.2, 0.05, 0.4, 0.02),
        step(0.3, 0.4, 0.15, 0.6, 0.04),
        step(0.2, 0.3, 0.10, 0.5, 0.03)));

    Map<String, Double> s = r.medianStepSplit();

    assertThat(s.keySet()).containsExactly("teacher", "forward", "loss-service", "backward", "optimizer", JobRun.STEP);
    assertThat(s.get("teacher")).isEqualTo(0.2);
    assertThat(s.get("loss-service")).isEqualTo(0.10);
    assertThat(s.get(JobRun.STEP)).isCloseTo(1.14, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(PlatformFigures.split(r)).isEqualTo(
        "step 1140 ms = teacher 200 + forward 300 + loss-service 100 + backward 500 + optimizer 30");
  }

  @Test
  void everyStepsSplitKeepsTheFirstStepAndGivesTheStudentsOwnForward() {
    JobRun r = new JobRun("j", "finished", "", 10, List.of(1.0, 2.0), List.of(
        step(9, 9, 9, 9, 9),
        step(0.25, 0.5, 0.125, 0.75, 0.0625)));

    List<Map<String, Double>> steps = r.stepSplits();

    assertThat(steps).hasSize(2);
    assertThat(steps.get(0)).containsEntry("teacher", 9.0).containsEntry("forward", 9.0);
    assertThat(steps.get(1).keySet())
        .containsExactly("teacher", "forward", "loss-service", "backward", "optimizer", JobRun.STEP);
    assertThat(steps.get(1)).containsEntry("forward", 0.5).containsEntry("loss-service", 0.125)
        .containsEntry("backward", 0.75);
  }

  @Test
  void aPartTheTrainerDidNotReportCountsAsZeroAndOneStepGivesNoSplit() {
    JobRun r = new JobRun("j", "finished", "", 1, List.of(1.0, 1.0),
        List.of(Map.of(JobRun.STEP, 1.0), Map.of("forward", 0.5, JobRun.STEP, 1.0)));
    assertThat(r.medianStepSplit()).containsEntry("teacher", 0.0).containsEntry("forward", 0.5);
    JobRun waits = new JobRun("j", "finished", "", 1, List.of(1.0, 1.0), List.of(Map.of(JobRun.STEP, 1.0),
        Map.of("teacher", 0.25, "loss-service", 0.125, "forward", 0.5, JobRun.STEP, 1.0)));
    assertThat(waits.medianStepSplit()).containsEntry("forward", 0.125);
    assertThat(new JobRun("j", "finished", "", 1, List.of(1.0), List.of(Map.of(JobRun.STEP, 1.0))).medianStepSplit())
        .isEmpty();
  }

  @Test
  void examplesPerSecondIsTheCountedStepsExamplesOverTheirSeconds() {
    // Every step: 30 examples in 30 s, 32 in 1 s, 32 in 4 s, 16 in 0.5 s -> 110 / 35.5 s.
    // From step 1: 80 / 5.5 s.
    JobRun r = new JobRun("j", "finished", "", 10, List.of(1.0, 32.0, 8.0, 32.0), List.of(
        Map.of(JobRun.STEP, 30.0), Map.of(JobRun.STEP, 1.0), Map.of(JobRun.STEP, 4.0), Map.of(JobRun.STEP, 0.5)));

    assertThat(r.examplesPerSecond(0)).isCloseTo(110 / 35.5, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.examplesPerSecond(1)).isCloseTo(80 / 5.5, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.medianExamplesPerSecond()).isEqualTo(32.0); // the median ignores the slow step's weight
    assertThat(new JobRun("j", "finished", "", 1, List.of(1.0), List.of(Map.of(JobRun.STEP, 1.0))).examplesPerSecond(1))
        .isNaN();
  }

  @Test
  void pooledExamplesPerSecondIsAllRunsCountedExamplesOverAllTheirSeconds() {
    // Run a, steps after the first: 32 in 1 s. Run b: 32 in 4 s, 16 in 1 s. Pooled: 80 / 6 s, not
    // the mean of the runs' rates (32 and 9.6 examples/s). With the first steps (30 s each, 1
    // example/s): 140 / 66 s.
    JobRun a = new JobRun("a", "finished", "", 10, List.of(1.0, 32.0), List.of(
        Map.of(JobRun.STEP, 30.0), Map.of(JobRun.STEP, 1.0)));
    JobRun b = new JobRun("b", "finished", "", 10, List.of(1.0, 8.0, 16.0), List.of(
        Map.of(JobRun.STEP, 30.0), Map.of(JobRun.STEP, 4.0), Map.of(JobRun.STEP, 1.0)));

    assertThat(JobRun.examplesPerSecond(List.of(a, b), 1)).isCloseTo(80 / 6.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(JobRun.examplesPerSecond(List.of(a, b), 0)).isCloseTo(140 / 66.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(JobRun.examplesPerSecond(List.of(a), 0)).isEqualTo(a.examplesPerSecond(0));
  }
}

package dev.retort.bench.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.retort.core.train.StepTimer;
import dev.retort.core.train.TrainingListener.StepReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepSplitTest {

  private static StepReport report(
      double seconds, double teacher, double forward, double loss, double backward, double opt) {
    return new StepReport(
        Map.of(),
        1e-4,
        1,
        32,
        seconds,
        Map.of(
            StepTimer.TEACHER,
            teacher,
            StepTimer.FORWARD,
            forward,
            StepTimer.LOSS_SERVICE,
            loss,
            StepTimer.BACKWARD,
            backward,
            StepTimer.OPTIMIZER,
            opt),
        10);
  }

  @Test
  void forwardExcludesTeacherWaitAndLossRoundTripAndOtherIsTheRestOfEachStep() {
    List<StepReport> timed =
        List.of(
            report(1.0, 0.1, 0.5, 0.05, 0.3, 0.05),
            report(2.0, 0.1, 0.7, 0.05, 0.9, 0.05),
            report(1.2, 0.1, 0.6, 0.05, 0.4, 0.05));
    var steps =
        new StepFigures.Steps(
            List.of(), timed, new FlopCount(1, "f", Map.of()), new double[] {1, 1, 1}, 1);
    Map<String, Double> split = StepSplitFigure.split(steps);
    assertThat(split.get("teacher wait")).isCloseTo(0.1, within(1e-12));
    assertThat(split.get("forward")).isCloseTo(0.6 - 0.1 - 0.05, within(1e-12));
    assertThat(split.get("loss round trip")).isCloseTo(0.05, within(1e-12));
    assertThat(split.get("backward")).isCloseTo(0.4, within(1e-12));
    assertThat(split.get("optimiser")).isCloseTo(0.05, within(1e-12));
    // Per step: 1.0 − 0.85, 2.0 − 1.65, 1.2 − 1.05; the median is 0.15.
    assertThat(split.get("other")).isCloseTo(0.15, within(1e-12));
  }
}

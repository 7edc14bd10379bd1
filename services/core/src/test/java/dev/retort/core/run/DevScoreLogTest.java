package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.metrics.MetricName;
import dev.retort.core.metrics.MetricSet;
import dev.retort.core.train.TrainState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevScoreLogTest {

  private static MetricSet acc(double v) {
    return new MetricSet(Map.of(MetricName.ACC, v), MetricName.ACC);
  }

  private static TrainState at(String phase, long step) {
    return new TrainState(phase, step, 0, 0, 1, 0, Double.NaN, -1);
  }

  @Test
  void theBestStepsScoresAreReturnedForItsOwnPhaseOnly() {
    DevScoreLog log = new DevScoreLog();
    log.record(at("distill", 5), acc(0.4));
    log.record(at("distill", 10), acc(0.6));
    log.record(at("teacher-finetune", 5), acc(0.9));

    assertThat(log.best(at("distill", 12).withBest(0.6, 10))).contains(acc(0.6));
    assertThat(log.best(at("distill", 12).withBest(0.4, 5))).contains(acc(0.4));
    assertThat(log.best(at("distill-prediction", 12).withBest(0.4, 5))).as("another phase").isEmpty();
  }

  @Test
  void aBestFromBeforeARestartOrNoEvaluationAtAllIsUnknown() {
    DevScoreLog log = new DevScoreLog();
    log.record(at("distill", 15), acc(0.5));

    assertThat(log.best(at("distill", 20).withBest(0.7, 10))).as("evaluated before a restart").isEmpty();
    assertThat(log.best(at("distill", 20))).as("never evaluated").isEmpty();
  }
}

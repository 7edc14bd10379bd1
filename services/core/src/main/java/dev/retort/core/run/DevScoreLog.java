package dev.retort.core.run;

import dev.retort.core.metrics.MetricSet;
import dev.retort.core.train.TrainState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dev scores of the evaluations a job's phases ran in this process, by phase and step, so that
 * the best model's dev scores are reused at the job's end instead of scoring it on dev a second
 * time (a whole pass over the dev split: MNLI's has 9,815 examples). After a restart the scores of
 * the evaluations before it are gone, and the best model is scored again.
 */
final class DevScoreLog {
  private final Map<String, MetricSet> byPhaseAndStep = new HashMap<>();

  /**
   * Records the scores of an evaluation.
   *
   * @param state the state the evaluation ran at
   * @param scores its dev scores
   */
  void record(TrainState state, MetricSet scores) {
    byPhaseAndStep.put(key(state.phase(), state.step()), scores);
  }

  /**
   * Returns the dev scores of a phase's best model, if its evaluation ran in this process.
   *
   * @param end the phase's final state, which names the best step
   * @return the scores of the evaluation at {@code end.bestStep()}, or empty
   */
  Optional<MetricSet> best(TrainState end) {
    return end.bestStep() < 0
        ? Optional.empty() : Optional.ofNullable(byPhaseAndStep.get(key(end.phase(), end.bestStep())));
  }

  private static String key(String phase, long step) {
    return phase + "@" + step;
  }
}

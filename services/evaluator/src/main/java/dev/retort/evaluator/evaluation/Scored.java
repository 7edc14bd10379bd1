package dev.retort.evaluator.evaluation;

import java.util.Map;

/**
 * How one checkpoint did.
 *
 * @param metric the task's selection metric, e.g. {@code acc}
 * @param primary its value on dev
 * @param dev every dev metric
 * @param test every test metric; empty unless asked for and the test split is labelled
 * @param parameters the model's weight count
 * @param latencyMs median batch-1 CPU latency at the job's max length
 */
public record Scored(String metric, double primary, Map<String, Double> dev,
    Map<String, Double> test, long parameters, double latencyMs) {

  /** Copies the maps. */
  public Scored {
    dev = Map.copyOf(dev);
    test = Map.copyOf(test);
  }
}

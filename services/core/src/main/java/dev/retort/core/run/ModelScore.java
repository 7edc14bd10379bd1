package dev.retort.core.run;

import java.util.Map;

/**
 * How one model did on a job's data.
 *
 * @param role {@code teacher} or {@code student}
 * @param metric the selection metric's name
 * @param dev every dev metric
 * @param test every test metric (empty when the test split has no labels)
 * @param parameters the model's weight count (pooler and heads included)
 * @param latencyMs median batch-1 CPU latency at the job's max length
 */
public record ModelScore(
    String role, String metric, Map<String, Double> dev, Map<String, Double> test, long parameters, double latencyMs) {

  /** Copies the maps. */
  public ModelScore {
    dev = Map.copyOf(dev);
    test = Map.copyOf(test);
  }

  /** Returns a copy with another latency: one measured beside the other model's. */
  public ModelScore withLatencyMs(double ms) {
    return new ModelScore(role, metric, dev, test, parameters, ms);
  }

  /** Returns the headline value: test if labelled, else dev ({@link #headlineSplit()}). */
  public double headline() {
    return (headlineSplit().equals("test") ? test : dev).getOrDefault(metric, Double.NaN);
  }

  /** Returns the split of {@link #headline()}: {@code test} when it is labelled, else {@code dev}. */
  public String headlineSplit() {
    return test.containsKey(metric) ? "test" : "dev";
  }
}

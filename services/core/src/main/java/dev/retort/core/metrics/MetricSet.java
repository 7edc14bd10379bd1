package dev.retort.core.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The metric values of one evaluation, in reporting order, plus the one used for model selection.
 *
 * @param values metric values in reporting order (unmodifiable)
 * @param selectBy the metric that picks the best checkpoint (higher is better); one of the keys
 */
public record MetricSet(Map<MetricName, Double> values, MetricName selectBy) {
  /** Copies the values and checks that the selection metric is present. */
  public MetricSet {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    if (!values.containsKey(selectBy)) {
      throw new IllegalArgumentException(selectBy + " is not among " + values.keySet());
    }
  }

  /**
   * Returns one metric.
   *
   * @param name the metric
   * @return its value
   * @throws IllegalArgumentException if the set does not hold it
   */
  public double get(MetricName name) {
    Double v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(name + " is not among " + values.keySet());
    }
    return v;
  }

  /** Returns the value of the selection metric; higher is better. */
  public double selection() {
    return values.get(selectBy);
  }

  /** Returns the values keyed by metric key ({@code "acc"}, ...), in reporting order. */
  public Map<String, Double> byKey() {
    Map<String, Double> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k.key(), v));
    return Collections.unmodifiableMap(out);
  }

  /** Returns {@code "acc=0.8512 f1=0.8870 (select acc_and_f1)"}. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(" ");
    values.forEach((k, v) -> j.add(String.format(Locale.ROOT, "%s=%.4f", k.key(), v)));
    return j + " (select " + selectBy.key() + ")";
  }
}

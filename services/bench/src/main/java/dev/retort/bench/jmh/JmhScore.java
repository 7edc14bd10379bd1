package dev.retort.bench.jmh;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JMH result.
 *
 * @param benchmark the class's simple name and the method, e.g. {@code
 *     TransportSolverBenchmark.transportSolver}
 * @param params the {@code @Param} values
 * @param score the mean time per operation (or the mode's score)
 * @param error the half-width of the 99.9% confidence interval (NaN with too few samples)
 * @param unit the score's unit, e.g. {@code us/op}
 * @param samples the measured iterations
 */
public record JmhScore(
    String benchmark,
    Map<String, String> params,
    double score,
    double error,
    String unit,
    long samples) {
  /** Copies the parameters. */
  public JmhScore {
    params = Map.copyOf(params);
  }

  /** Returns the score as JSON fields. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("benchmark", benchmark);
    if (!params.isEmpty()) {
      m.put("params", new java.util.TreeMap<>(params));
    }
    m.put("score", score);
    m.put("error", Double.isFinite(error) ? error : null);
    m.put("unit", unit);
    m.put("samples", samples);
    return m;
  }

  /**
   * Returns the name with its parameters, e.g. {@code
   * TensorCodecBenchmark.encode[dtype=DTYPE_FP16]}.
   */
  public String label() {
    return params.isEmpty() ? benchmark : benchmark + new java.util.TreeMap<>(params);
  }
}

package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss of one step: the weighted total that is back-propagated, and each unweighted term under
 * its metric tag ({@code pred}, {@code hard}, {@code emb}, {@code hid}, {@code att}, ...), so that
 * metrics and logs can show them separately.
 *
 * @param total the scalar to back-propagate
 * @param terms each term's scalar value before weighting
 */
public record LossBreakdown(NDArray total, Map<String, NDArray> terms) {

  /** Copies the terms, keeping their order. */
  public LossBreakdown {
    terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
  }

  /** Returns the terms as plain numbers (forces evaluation). */
  public Map<String, Double> values() {
    Map<String, Double> out = new LinkedHashMap<>();
    terms.forEach((k, v) -> out.put(k, (double) v.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat()));
    return out;
  }

  /** Returns the total as a number. */
  public double totalValue() {
    return total.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
  }
}

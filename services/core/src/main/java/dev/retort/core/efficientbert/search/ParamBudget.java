package dev.retort.core.efficientbert.search;

import dev.retort.core.RetortException;

/**
 * The parameter budget every candidate must meet, inclusive on both ends (reference {@code
 * ffn_search.py:53-54}: 15M to 16M, counted with {@code param_list}).
 *
 * @param min the smallest allowed count
 * @param max the largest allowed count
 */
public record ParamBudget(long min, long max) {

  /** Checks {@code 0 <= min <= max}. */
  public ParamBudget {
    if (min < 0 || max < min) {
      throw new RetortException(
          "search parameter budget [" + min + ", " + max + "]",
          "is not a range of parameter counts",
          "Set budget-min-params <= budget-max-params, e.g. 15000000 and 16000000");
    }
  }

  /** Returns the reference budget, 15M to 16M parameters. */
  public static ParamBudget reference() {
    return new ParamBudget(15_000_000L, 16_000_000L);
  }

  /** Returns a budget that every candidate meets. */
  public static ParamBudget unlimited() {
    return new ParamBudget(0, Long.MAX_VALUE);
  }

  /** Returns whether {@code min <= count <= max}. */
  public boolean contains(long count) {
    return count >= min && count <= max;
  }
}

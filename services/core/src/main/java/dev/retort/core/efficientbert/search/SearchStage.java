package dev.retort.core.efficientbert.search;

import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.PrimitiveSet;

/** The three stages of EfficientBERT's progressive (coarse-to-fine) search (methods.md 3.4). */
public enum SearchStage {
  /** Stage 1: operators and sizes together, from the 16 base GELU FFNs. */
  OPS_AND_SIZES(1),
  /** Stage 2: operators only, sizes fixed to the stage-1 best. */
  OPS(2),
  /** Stage 3: sizes only, operators fixed to the stage-2 best; scored on shared weights. */
  SIZES(3);

  private final int number;

  SearchStage(int number) {
    this.number = number;
  }

  /** Returns 1, 2 or 3. */
  public int number() {
    return number;
  }

  /**
   * Returns the stage with this number.
   *
   * @param n 1, 2 or 3
   * @return the stage
   * @throws RetortException for any other number
   */
  public static SearchStage of(int n) {
    for (SearchStage s : values()) {
      if (s.number == n) {
        return s;
      }
    }
    throw new RetortException(
        "search.stage", "must be 1, 2 or 3, got " + n, "Run stage 1, then 2, then 3");
  }

  /** Returns the symbols the stage's mutations draw from (stage 3 mutates no expressions). */
  public PrimitiveSet primitiveSet() {
    return this == OPS ? PrimitiveSet.stage2() : PrimitiveSet.stage1();
  }
}

package dev.retort.core.efficientbert;

/** The three arguments of an FFN expression: the layer input and the two weight pairs. */
public enum Terminal implements Symbol {
  /** The layer input, {@code [B, L, H]}. */
  X("x"),
  /** The first weight pair {@code (W1 [H, m], b1 [m])}. */
  WB1("wb1"),
  /** The second weight pair {@code (W2 [m, H], b2 [H])}. */
  WB2("wb2");

  private final String token;

  Terminal(String token) {
    this.token = token;
  }

  /** Returns 0. */
  @Override
  public int arity() {
    return 0;
  }

  /** Returns {@code x}, {@code wb1} or {@code wb2}. */
  @Override
  public String token() {
    return token;
  }

  /**
   * Returns whether this terminal is a weight pair (and may only be a linear's second argument).
   */
  public boolean isWeights() {
    return this != X;
  }
}

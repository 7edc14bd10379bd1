package dev.retort.core.efficientbert;

/**
 * One symbol of the FFN expression language: a terminal, an activation, a binary op or a linear.
 *
 * <p>A symbol is what a tree node "is" without its children; mutation operators swap symbols of
 * equal {@link #arity()}, and {@link PrimitiveSet} numbers them for the sampler's features.
 */
public sealed interface Symbol permits Terminal, Activation, BinaryOp, LinearSize {

  /** Returns the number of arguments: 0 for terminals, 1 for activations, 2 otherwise. */
  int arity();

  /**
   * Returns the name as written in an expression, e.g. {@code linear4_2}, {@code gelu}, {@code x}.
   */
  String token();
}

package dev.retort.core.efficientbert;

import dev.retort.core.RetortException;
import java.util.Optional;

/**
 * Static checks of an {@link Expr}: argument kinds (tensor or weight pair) and channel widths.
 *
 * <p>Width rules, with H the hidden size and m the inner width of the layer's linears: {@code x}
 * has width H; {@code linear(in, wb1)} needs {@code width(in) = H} and has width m ({@code W1} is
 * {@code [H, m]}); {@code linear(in, wb2)} needs {@code width(in) = m} and has width H ({@code W2}
 * is {@code [m, H]}); activations keep the width; {@code add/mul/max} have width {@code min(c1,
 * c2)}. The FFN output must have width H for the residual {@code x + f(x)}.
 */
public final class ExprShapes {
  private ExprShapes() {}

  private enum Kind {
    TENSOR,
    WEIGHTS
  }

  /**
   * Returns why the expression would fail on dummy tensors, the reference code's "compiles and
   * runs" check, or empty if it runs.
   *
   * <p>It runs when {@code wb1}/{@code wb2} appear only as the second argument of a linear, every
   * linear's second argument is one of them, and the root is a tensor.
   *
   * @param expr the tree
   * @return the first problem found in prefix order, or empty
   */
  public static Optional<String> typeError(Expr expr) {
    try {
      if (kind(expr) != Kind.TENSOR) {
        return Optional.of("the expression is a weight pair, not a tensor");
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static Kind kind(Expr expr) {
    if (expr instanceof Expr.Leaf leaf) {
      return leaf.terminal().isWeights() ? Kind.WEIGHTS : Kind.TENSOR;
    }
    if (expr instanceof Expr.Linear linear) {
      requireTensor(linear.input(), linear);
      if (kind(linear.weights()) != Kind.WEIGHTS) {
        throw new IllegalArgumentException("second argument of " + linear + " is not wb1 or wb2");
      }
      return Kind.TENSOR;
    }
    for (Expr child : expr.children()) {
      requireTensor(child, expr);
    }
    return Kind.TENSOR;
  }

  private static void requireTensor(Expr child, Expr parent) {
    if (kind(child) != Kind.TENSOR) {
      throw new IllegalArgumentException(
          "weight pair " + child + " is used as a tensor argument of " + parent);
    }
  }

  /**
   * Returns why the expression's channel widths do not fit, or empty if they do and the output has
   * width {@code hidden}.
   *
   * @param expr a tree without type errors
   * @param hidden H
   * @param inner m, the inner width of the layer's linears
   * @return the first problem, or empty
   */
  public static Optional<String> widthError(Expr expr, int hidden, int inner) {
    try {
      int out = width(expr, hidden, inner);
      if (out != hidden) {
        return Optional.of(
            "the output has width " + out + " but the residual x + f(x) needs width " + hidden);
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Returns the output width of the expression.
   *
   * @param expr a tree without type errors
   * @param hidden H
   * @param inner m, the inner width of the layer's linears
   * @return the width of the last dimension of the result
   * @throws RetortException naming the node whose widths do not fit
   */
  public static int outputWidth(Expr expr, int hidden, int inner) {
    try {
      return width(expr, hidden, inner);
    } catch (IllegalArgumentException e) {
      throw new RetortException(
          "FFN expression '" + expr + "' with H=" + hidden + ", m=" + inner,
          e.getMessage(),
          "Feed wb1's linear with a width-H tensor and wb2's linear with wb1's width-m result");
    }
  }

  private static int width(Expr expr, int hidden, int inner) {
    if (expr instanceof Expr.Leaf leaf) {
      if (leaf.terminal().isWeights()) {
        throw new IllegalArgumentException("weight pair " + leaf + " has no channel width");
      }
      return hidden;
    }
    if (expr instanceof Expr.Unary unary) {
      return width(unary.input(), hidden, inner);
    }
    if (expr instanceof Expr.Binary binary) {
      return Math.min(width(binary.left(), hidden, inner), width(binary.right(), hidden, inner));
    }
    Expr.Linear linear = (Expr.Linear) expr;
    int in = width(linear.input(), hidden, inner);
    if (!(linear.weights() instanceof Expr.Leaf w) || !w.terminal().isWeights()) {
      throw new IllegalArgumentException("second argument of " + linear + " is not wb1 or wb2");
    }
    boolean first = w.terminal() == Terminal.WB1;
    int needed = first ? hidden : inner;
    if (in != needed) {
      throw new IllegalArgumentException(
          linear
              + " gets an input of width "
              + in
              + " but "
              + (first ? "W1" : "W2")
              + " has "
              + needed
              + " rows");
    }
    return first ? inner : hidden;
  }
}

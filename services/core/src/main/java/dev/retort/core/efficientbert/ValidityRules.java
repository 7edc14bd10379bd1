package dev.retort.core.efficientbert;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The validity filter of EfficientBERT's search (reference {@code check_individual}, {@code
 * utils/action_space.py:61-111}), applied to every mutated expression.
 *
 * <p>The reference checks the printed string with regular expressions; this class checks the tree.
 * The results agree except for {@link Rule#IDENTICAL_OPERANDS}: the reference's regex {@code
 * add\(([^,]+),(\1)\)} only sees operands without a comma, e.g. {@code add(tanh(x),tanh(x))} but
 * not {@code add(mul(x,tanh(x)),mul(x,tanh(x)))}; the tree check rejects both.
 *
 * @param minHeight the smallest allowed {@link ExprTrees#height(Expr)} (3 in the reference)
 * @param maxHeight the largest allowed height (7 in the reference)
 */
public record ValidityRules(int minHeight, int maxHeight) {

  /** The reference's {@code --min_height}. */
  public static final int DEFAULT_MIN_HEIGHT = 3;

  /** The reference's {@code --max_height}. */
  public static final int DEFAULT_MAX_HEIGHT = 7;

  /** One rule an expression can break. */
  public enum Rule {
    /** Compiles and runs on dummy tensors: weight pairs only as a linear's second argument. */
    RUNS,
    /** Tree height in {@code [minHeight, maxHeight]}. */
    HEIGHT,
    /** Contains the input {@code x}. */
    CONTAINS_X,
    /** Exactly one {@code wb1} and one {@code wb2}, with {@code wb1} first in prefix order. */
    WEIGHTS_ONCE_IN_ORDER,
    /** No activation directly applied to an activation, e.g. {@code tanh(gelu(...))}. */
    NESTED_ACTIVATION,
    /** No linear whose input is directly a linear, e.g. {@code linear(linear(x,wb1),wb2)}. */
    NESTED_LINEAR,
    /** All linears carry the same {@code A_B}. */
    INCONSISTENT_LINEAR,
    /** No {@code add}, {@code mul} or {@code max} with two identical operands. */
    IDENTICAL_OPERANDS,
    /**
     * Channel widths fit for the given H and m (see {@link ExprShapes}); not a reference rule, only
     * checked by {@link #check(Expr, int, int)}. The reference checks on 1-channel dummy tensors,
     * so such expressions fail later at training time and get fitness 0.
     */
    WIDTHS
  }

  /** Checks {@code 0 <= minHeight <= maxHeight}. */
  public ValidityRules {
    if (minHeight < 0 || maxHeight < minHeight) {
      throw new IllegalArgumentException(
          "height bounds [" + minHeight + ", " + maxHeight + "] are not a range of heights");
    }
  }

  /** Returns the reference's rules, heights 3 to 7. */
  public static ValidityRules defaults() {
    return new ValidityRules(DEFAULT_MIN_HEIGHT, DEFAULT_MAX_HEIGHT);
  }

  /**
   * Returns every reference rule the expression breaks.
   *
   * @param expr the tree
   * @return the broken rules in {@link Rule} order; empty if the expression is valid
   */
  public List<Rule> check(Expr expr) {
    List<Rule> broken = new ArrayList<>();
    if (ExprShapes.typeError(expr).isPresent()) {
      broken.add(Rule.RUNS);
    }
    int height = ExprTrees.height(expr);
    if (height < minHeight || height > maxHeight) {
      broken.add(Rule.HEIGHT);
    }
    List<Expr> nodes = ExprTrees.prefix(expr);
    if (!nodes.contains(Expr.x())) {
      broken.add(Rule.CONTAINS_X);
    }
    if (!weightsOnceInOrder(nodes)) {
      broken.add(Rule.WEIGHTS_ONCE_IN_ORDER);
    }
    boolean nestedActivation = false;
    boolean nestedLinear = false;
    boolean identical = false;
    for (Expr node : nodes) {
      if (node instanceof Expr.Unary u && u.input() instanceof Expr.Unary) {
        nestedActivation = true;
      } else if (node instanceof Expr.Linear l && l.input() instanceof Expr.Linear) {
        nestedLinear = true;
      } else if (node instanceof Expr.Binary b && b.left().equals(b.right())) {
        identical = true;
      }
    }
    if (nestedActivation) {
      broken.add(Rule.NESTED_ACTIVATION);
    }
    if (nestedLinear) {
      broken.add(Rule.NESTED_LINEAR);
    }
    if (new HashSet<>(ExprTrees.linearSizes(expr)).size() > 1) {
      broken.add(Rule.INCONSISTENT_LINEAR);
    }
    if (identical) {
      broken.add(Rule.IDENTICAL_OPERANDS);
    }
    return broken;
  }

  /**
   * Returns every reference rule the expression breaks, plus {@link Rule#WIDTHS} when its channel
   * widths do not fit a model with hidden size H and inner width m.
   *
   * @param expr the tree
   * @param hidden H
   * @param inner m of the layer's linears, e.g. {@code size.innerWidth(H)}
   * @return the broken rules; empty if the expression is valid and runs at full width
   */
  public List<Rule> check(Expr expr, int hidden, int inner) {
    List<Rule> broken = check(expr);
    if (!broken.contains(Rule.RUNS) && ExprShapes.widthError(expr, hidden, inner).isPresent()) {
      broken.add(Rule.WIDTHS);
    }
    return broken;
  }

  /** Returns whether the expression breaks none of the reference rules. */
  public boolean isValid(Expr expr) {
    return check(expr).isEmpty();
  }

  private static boolean weightsOnceInOrder(List<Expr> nodes) {
    int wb1 = -1;
    int wb2 = -1;
    for (int i = 0; i < nodes.size(); i++) {
      Expr node = nodes.get(i);
      if (node.equals(Expr.wb1())) {
        if (wb1 >= 0) {
          return false;
        }
        wb1 = i;
      } else if (node.equals(Expr.wb2())) {
        if (wb2 >= 0) {
          return false;
        }
        wb2 = i;
      }
    }
    return wb1 >= 0 && wb2 > wb1;
  }
}

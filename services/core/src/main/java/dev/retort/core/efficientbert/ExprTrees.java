package dev.retort.core.efficientbert;

import java.util.ArrayList;
import java.util.List;

/**
 * Prefix-order views and edits of {@link Expr} trees, the addressing DEAP's mutation operators use.
 *
 * <p>Node {@code i} is the {@code i}-th node in prefix (pre-order, left to right) order, so node 0
 * is the root and the printed expression lists the nodes in this order.
 */
public final class ExprTrees {
  private ExprTrees() {}

  /**
   * Returns every node in prefix order; entry {@code i} is the subtree rooted at node {@code i}.
   *
   * @param expr the tree
   * @return the nodes, root first
   */
  public static List<Expr> prefix(Expr expr) {
    List<Expr> out = new ArrayList<>();
    collect(expr, out);
    return out;
  }

  private static void collect(Expr expr, List<Expr> out) {
    out.add(expr);
    for (Expr child : expr.children()) {
      collect(child, out);
    }
  }

  /** Returns the number of nodes. */
  public static int size(Expr expr) {
    int n = 1;
    for (Expr child : expr.children()) {
      n += size(child);
    }
    return n;
  }

  /**
   * Returns the height as DEAP counts it: a lone terminal has height 0, {@code gelu(x)} height 1.
   *
   * @param expr the tree
   * @return the number of edges on the longest root-to-leaf path
   */
  public static int height(Expr expr) {
    int h = 0;
    for (Expr child : expr.children()) {
      h = Math.max(h, 1 + height(child));
    }
    return h;
  }

  /**
   * Returns the subtree rooted at prefix index {@code index}.
   *
   * @param expr the tree
   * @param index 0 .. size - 1
   * @return the subtree
   */
  public static Expr subtree(Expr expr, int index) {
    return prefix(expr).get(index);
  }

  /**
   * Replaces the subtree rooted at prefix index {@code index}.
   *
   * @param expr the tree
   * @param index 0 .. size - 1
   * @param replacement the new subtree
   * @return a new tree; {@code expr} is unchanged
   * @throws IndexOutOfBoundsException if the index is outside the tree
   */
  public static Expr replace(Expr expr, int index, Expr replacement) {
    if (index == 0) {
      return replacement;
    }
    int offset = 1;
    List<Expr> children = expr.children();
    for (int i = 0; i < children.size(); i++) {
      Expr child = children.get(i);
      int childSize = size(child);
      if (index < offset + childSize) {
        List<Expr> updated = new ArrayList<>(children);
        updated.set(i, replace(child, index - offset, replacement));
        return Expr.of(expr.symbol(), updated);
      }
      offset += childSize;
    }
    throw new IndexOutOfBoundsException(
        "node " + index + " is outside " + expr + " (" + size(expr) + " nodes)");
  }

  /**
   * Returns the sizes of all linear nodes in prefix order.
   *
   * @param expr the tree
   * @return e.g. {@code [4_2, 4_2]} for layer 1 of EfficientBERT
   */
  public static List<LinearSize> linearSizes(Expr expr) {
    List<LinearSize> out = new ArrayList<>();
    for (Expr node : prefix(expr)) {
      if (node instanceof Expr.Linear l) {
        out.add(l.size());
      }
    }
    return out;
  }

  /**
   * Returns the size of the first linear in prefix order, the one the reference code's {@code
   * get_linear_idx} reads.
   *
   * @param expr the tree
   * @return the size
   * @throws IllegalArgumentException if the tree has no linear
   */
  public static LinearSize firstLinearSize(Expr expr) {
    List<LinearSize> sizes = linearSizes(expr);
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException("expression " + expr + " has no linear");
    }
    return sizes.get(0);
  }

  /**
   * Gives every linear node the same size: binds a stage-2 {@code linear} to a size, or changes
   * {@code linearA_B} consistently.
   *
   * @param expr the tree
   * @param size the new size, possibly {@link LinearSize#GENERIC}
   * @return a new tree
   */
  public static Expr withLinearSize(Expr expr, LinearSize size) {
    List<Expr> children = new ArrayList<>();
    for (Expr child : expr.children()) {
      children.add(withLinearSize(child, size));
    }
    Symbol symbol = expr instanceof Expr.Linear ? size : expr.symbol();
    return Expr.of(symbol, children);
  }
}

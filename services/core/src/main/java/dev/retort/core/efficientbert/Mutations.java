package dev.retort.core.efficientbert;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The genetic-programming mutation operators of EfficientBERT's search, after DEAP's {@code
 * mutUniform}, {@code mutNodeReplacement}, {@code mutEphemeral} and {@code mutInsert}.
 *
 * <p>Every operator returns a new well-formed tree (each node has as many children as its arity)
 * and leaves its input unchanged. Randomness comes only from the given generator, so a seeded
 * {@code java.util.Random} or {@code SplittableRandom} makes the result reproducible. The trees may
 * break {@link ValidityRules}; {@link ExpressionSampler} retries until they do not.
 */
public final class Mutations {
  /** The reference's depth range for {@code genFull} in {@code mutUniform}: 0 to 3. */
  public static final int UNIFORM_MIN_DEPTH = 0;

  /** See {@link #UNIFORM_MIN_DEPTH}. */
  public static final int UNIFORM_MAX_DEPTH = 3;

  private Mutations() {}

  /**
   * Generates a full tree: every leaf at the same depth d, drawn uniformly from {@code [minDepth,
   * maxDepth]}; inner nodes are uniform over all primitives, leaves over the terminals (DEAP {@code
   * genFull}).
   *
   * @param pset the symbols to draw from
   * @param rnd the random source
   * @param minDepth smallest depth, at least 0
   * @param maxDepth largest depth
   * @return a tree of height d
   */
  public static Expr genFull(PrimitiveSet pset, RandomGenerator rnd, int minDepth, int maxDepth) {
    int depth = minDepth + rnd.nextInt(maxDepth - minDepth + 1);
    return genFull(pset, rnd, depth);
  }

  private static Expr genFull(PrimitiveSet pset, RandomGenerator rnd, int depth) {
    if (depth == 0) {
      return Expr.of(pick(pset.terminals(), rnd), List.of());
    }
    Symbol op = pick(pset.primitives(), rnd);
    List<Expr> children = new ArrayList<>();
    for (int i = 0; i < op.arity(); i++) {
      children.add(genFull(pset, rnd, depth - 1));
    }
    return Expr.of(op, children);
  }

  /**
   * Replaces a random subtree (the root included) by {@link #genFull} of depth 0 to 3 (DEAP {@code
   * mutUniform} with {@code genFull}).
   *
   * @param expr the tree
   * @param pset the symbols to draw from
   * @param rnd the random source
   * @return the mutated tree
   */
  public static Expr uniform(Expr expr, PrimitiveSet pset, RandomGenerator rnd) {
    int index = rnd.nextInt(ExprTrees.size(expr));
    Expr replacement = genFull(pset, rnd, UNIFORM_MIN_DEPTH, UNIFORM_MAX_DEPTH);
    return ExprTrees.replace(expr, index, replacement);
  }

  /**
   * Replaces the symbol of one random non-root node by a random symbol of the same arity, keeping
   * its children (DEAP {@code mutNodeReplacement}, which never picks node 0).
   *
   * @param expr the tree
   * @param pset the symbols to draw from
   * @param rnd the random source
   * @return the mutated tree; {@code expr} itself if it has a single node
   */
  public static Expr nodeReplacement(Expr expr, PrimitiveSet pset, RandomGenerator rnd) {
    int size = ExprTrees.size(expr);
    if (size < 2) {
      return expr;
    }
    int index = 1 + rnd.nextInt(size - 1);
    Expr node = ExprTrees.subtree(expr, index);
    int arity = node.symbol().arity();
    List<Symbol> choices = arity == 0 ? pset.terminals() : pset.primitivesOfArity(arity);
    Expr replaced = Expr.of(pick(choices, rnd), node.children());
    return ExprTrees.replace(expr, index, replaced);
  }

  /**
   * Gives all linears one new random {@code A_B}, different from the first linear's current size.
   *
   * <p>The reference calls DEAP's {@code mutEphemeral} here, which is a no-op because its primitive
   * set has no ephemeral constants; sizes then change only through the other operators, one linear
   * at a time, which {@link ValidityRules.Rule#INCONSISTENT_LINEAR} mostly rejects. This operator
   * changes the size of both linears at once, so stage 1 explores sizes directly. It does nothing
   * to trees without linears and in stage 2, whose linears carry no size.
   *
   * @param expr the tree
   * @param pset the symbols to draw from
   * @param rnd the random source
   * @return the mutated tree
   */
  public static Expr ephemeral(Expr expr, PrimitiveSet pset, RandomGenerator rnd) {
    List<LinearSize> sizes = ExprTrees.linearSizes(expr);
    if (sizes.isEmpty() || !pset.hasSizedLinears()) {
      return expr;
    }
    List<LinearSize> choices = new ArrayList<>(LinearSize.all());
    choices.remove(sizes.get(0));
    return ExprTrees.withLinearSize(expr, pick(choices, rnd));
  }

  /**
   * Inserts a random primitive above a random subtree (DEAP {@code mutInsert}): the subtree becomes
   * one argument, at a random position, and the other argument, if any, is a random terminal.
   *
   * @param expr the tree
   * @param pset the symbols to draw from
   * @param rnd the random source
   * @return the mutated tree, one level taller along the insertion path
   */
  public static Expr insert(Expr expr, PrimitiveSet pset, RandomGenerator rnd) {
    int index = rnd.nextInt(ExprTrees.size(expr));
    Expr subtree = ExprTrees.subtree(expr, index);
    Symbol op = pick(pset.primitives(), rnd);
    int position = rnd.nextInt(op.arity());
    List<Expr> children = new ArrayList<>();
    for (int i = 0; i < op.arity(); i++) {
      children.add(i == position ? subtree : Expr.of(pick(pset.terminals(), rnd), List.of()));
    }
    return ExprTrees.replace(expr, index, Expr.of(op, children));
  }

  private static <T> T pick(List<T> items, RandomGenerator rnd) {
    return items.get(rnd.nextInt(items.size()));
  }
}

package dev.retort.core.efficientbert;

import java.util.List;
import java.util.Objects;

/**
 * An immutable FFN expression tree, e.g. {@code linear1_2(relu(mul(linear1_2(x,wb1),x)),wb2)}.
 *
 * <p>The tree is untyped, like DEAP's {@code PrimitiveSet} in the reference search: any node may be
 * any child, so mutation can produce {@code gelu(wb1)}; {@link ValidityRules} rejects such trees
 * ({@link ValidityRules.Rule#RUNS}). Equality is structural. {@code toString()} prints the
 * canonical form without spaces, which {@link ExprParser#parse(String)} reads back.
 */
public sealed interface Expr permits Expr.Leaf, Expr.Unary, Expr.Binary, Expr.Linear {

  /** Returns the symbol of this node. */
  Symbol symbol();

  /** Returns the children, left to right; empty for a leaf. */
  List<Expr> children();

  /**
   * Parses an expression; see {@link ExprParser#parse(String)}.
   *
   * @param text prefix notation, e.g. {@code tanh(linear4_2(gelu(linear4_2(x,wb1)),wb2))}
   * @return the tree
   */
  static Expr parse(String text) {
    return ExprParser.parse(text);
  }

  /**
   * Builds a node from a symbol and its children.
   *
   * @param symbol the node's symbol
   * @param children exactly {@code symbol.arity()} children
   * @return the node
   * @throws IllegalArgumentException if the child count does not match the arity
   */
  static Expr of(Symbol symbol, List<Expr> children) {
    if (children.size() != symbol.arity()) {
      throw new IllegalArgumentException(
          symbol.token() + " takes " + symbol.arity() + " arguments, got " + children.size());
    }
    if (symbol instanceof Terminal t) {
      return new Leaf(t);
    } else if (symbol instanceof Activation a) {
      return new Unary(a, children.get(0));
    } else if (symbol instanceof BinaryOp b) {
      return new Binary(b, children.get(0), children.get(1));
    } else if (symbol instanceof LinearSize s) {
      return new Linear(s, children.get(0), children.get(1));
    }
    throw new IllegalStateException("unhandled symbol " + symbol);
  }

  /** Returns the leaf {@code x}. */
  static Leaf x() {
    return new Leaf(Terminal.X);
  }

  /** Returns the leaf {@code wb1}. */
  static Leaf wb1() {
    return new Leaf(Terminal.WB1);
  }

  /** Returns the leaf {@code wb2}. */
  static Leaf wb2() {
    return new Leaf(Terminal.WB2);
  }

  /**
   * A terminal: {@code x}, {@code wb1} or {@code wb2}.
   *
   * @param terminal which one
   */
  record Leaf(Terminal terminal) implements Expr {
    /** Checks the terminal is set. */
    public Leaf {
      Objects.requireNonNull(terminal, "terminal");
    }

    @Override
    public Symbol symbol() {
      return terminal;
    }

    @Override
    public List<Expr> children() {
      return List.of();
    }

    @Override
    public String toString() {
      return ExprPrinter.print(this);
    }
  }

  /**
   * An activation applied to one argument.
   *
   * @param op the activation
   * @param input its argument
   */
  record Unary(Activation op, Expr input) implements Expr {
    /** Checks both parts are set. */
    public Unary {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(input, "input");
    }

    @Override
    public Symbol symbol() {
      return op;
    }

    @Override
    public List<Expr> children() {
      return List.of(input);
    }

    @Override
    public String toString() {
      return ExprPrinter.print(this);
    }
  }

  /**
   * An element-wise binary op ({@code add}, {@code mul}, {@code max}).
   *
   * @param op the op
   * @param left first argument
   * @param right second argument
   */
  record Binary(BinaryOp op, Expr left, Expr right) implements Expr {
    /** Checks all parts are set. */
    public Binary {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public Symbol symbol() {
      return op;
    }

    @Override
    public List<Expr> children() {
      return List.of(left, right);
    }

    @Override
    public String toString() {
      return ExprPrinter.print(this);
    }
  }

  /**
   * A linear {@code input W + b}; well-formed only when {@code weights} is {@code wb1} or {@code
   * wb2}.
   *
   * @param size {@code linearA_B}, or {@link LinearSize#GENERIC} for stage 2's {@code linear}
   * @param input the tensor argument
   * @param weights the weight-pair argument
   */
  record Linear(LinearSize size, Expr input, Expr weights) implements Expr {
    /** Checks all parts are set. */
    public Linear {
      Objects.requireNonNull(size, "size");
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(weights, "weights");
    }

    @Override
    public Symbol symbol() {
      return size;
    }

    @Override
    public List<Expr> children() {
      return List.of(input, weights);
    }

    @Override
    public String toString() {
      return ExprPrinter.print(this);
    }
  }
}

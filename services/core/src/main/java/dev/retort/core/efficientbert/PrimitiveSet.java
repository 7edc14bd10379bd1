package dev.retort.core.efficientbert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbols a search stage may use, numbered as the reference numbers them for its sampler.
 *
 * <p>Stage 1 ({@code register_custom_ops}) has the 16 sized linears {@code linear1_1 .. linear4_4};
 * stage 2 ({@code register_custom_ops2}) has one generic {@code linear}. Both add {@code add, mul,
 * max}, the seven activations, and the terminals {@code x, wb1, wb2}.
 *
 * <p>Ids follow the order of DEAP's {@code pset.mapping} after {@code renameArguments}: primitives
 * in registration order, then the terminals (renaming moves them to the end). Stage 1: {@code
 * linear1_1}=0 .. {@code linear4_4}=15, {@code add}=16, {@code mul}=17, {@code max}=18, {@code
 * gelu}=19 .. {@code swish}=25, {@code x}=26, {@code wb1}=27, {@code wb2}=28. Stage 2: {@code
 * linear}=0, {@code add}=1 .. {@code swish}=10, {@code x}=11, {@code wb1}=12, {@code wb2}=13.
 */
public final class PrimitiveSet {
  private static final PrimitiveSet STAGE1 = new PrimitiveSet(LinearSize.all());
  private static final PrimitiveSet STAGE2 = new PrimitiveSet(List.of(LinearSize.GENERIC));

  private final List<Symbol> primitives;
  private final List<Symbol> terminals;
  private final List<Symbol> symbols;
  private final Map<Symbol, Integer> ids = new HashMap<>();

  private PrimitiveSet(List<LinearSize> linears) {
    List<Symbol> prims = new ArrayList<>(linears);
    prims.addAll(List.of(BinaryOp.values()));
    prims.addAll(List.of(Activation.values()));
    this.primitives = List.copyOf(prims);
    this.terminals = List.of(Terminal.values());
    List<Symbol> all = new ArrayList<>(primitives);
    all.addAll(terminals);
    this.symbols = List.copyOf(all);
    for (int i = 0; i < symbols.size(); i++) {
      ids.put(symbols.get(i), i);
    }
  }

  /** Returns stage 1's set: sized linears, binary ops, activations, terminals (29 symbols). */
  public static PrimitiveSet stage1() {
    return STAGE1;
  }

  /** Returns stage 2's set: the generic linear, binary ops, activations, terminals (14 symbols). */
  public static PrimitiveSet stage2() {
    return STAGE2;
  }

  /** Returns the operators (arity 1 or 2) in id order. */
  public List<Symbol> primitives() {
    return primitives;
  }

  /** Returns {@code x, wb1, wb2}. */
  public List<Symbol> terminals() {
    return terminals;
  }

  /** Returns every symbol in id order. */
  public List<Symbol> symbols() {
    return symbols;
  }

  /**
   * Returns the operators with the given arity, in id order.
   *
   * @param arity 1 or 2
   * @return the operators
   */
  public List<Symbol> primitivesOfArity(int arity) {
    List<Symbol> out = new ArrayList<>();
    for (Symbol s : primitives) {
      if (s.arity() == arity) {
        out.add(s);
      }
    }
    return out;
  }

  /** Returns whether the sized linears {@code linearA_B} belong to this set (stage 1). */
  public boolean hasSizedLinears() {
    return ids.containsKey(LinearSize.of(1, 1));
  }

  /** Returns whether the symbol belongs to this set. */
  public boolean contains(Symbol symbol) {
    return ids.containsKey(symbol);
  }

  /** Returns whether every node of the tree uses a symbol of this set. */
  public boolean containsAll(Expr expr) {
    for (Expr node : ExprTrees.prefix(expr)) {
      if (!contains(node.symbol())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns a symbol's id, the number the sampler's feature vectors use.
   *
   * @param symbol a symbol of this set
   * @return 0 .. symbols().size() - 1
   * @throws IllegalArgumentException if the symbol is not in this set
   */
  public int id(Symbol symbol) {
    Integer id = ids.get(symbol);
    if (id == null) {
      throw new IllegalArgumentException(
          "'"
              + symbol.token()
              + "' is not in this primitive set (stage "
              + (hasSizedLinears() ? 1 : 2)
              + ")");
    }
    return id;
  }
}

package dev.retort.core.efficientbert.search;

import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.ExprParser;
import java.util.ArrayList;
import java.util.List;

/**
 * One candidate of EfficientBERT's FFN search, as a self-contained request: which candidate of the
 * search it is, its per-layer FFN expressions and the seed its evaluation draws from.
 *
 * <p>The expressions are kept as text so that the spec travels as JSON (a state file, a Kafka
 * training request) without the expression classes; {@link #layers()} parses them back. Every
 * expression carries its size ({@code linearA_B}).
 *
 * @param index 0-based position in the search
 * @param stage the search stage, 1 to 3
 * @param expressions one FFN expression per layer, layer 1 first
 * @param seed seeds the candidate's fresh head, dropout and data order
 */
public record CandidateSpec(int index, int stage, List<String> expressions, long seed) {

  /** Validates and copies the expressions. */
  public CandidateSpec {
    if (index < 0) {
      throw new IllegalArgumentException("candidate index must be non-negative, got " + index);
    }
    if (stage < 1 || stage > 3) {
      throw new IllegalArgumentException("search stage must be 1, 2 or 3, got " + stage);
    }
    if (expressions == null || expressions.isEmpty()) {
      throw new IllegalArgumentException("a candidate needs one expression per layer");
    }
    expressions = List.copyOf(expressions);
  }

  /**
   * Creates a spec from expression trees.
   *
   * @param index 0-based position in the search
   * @param stage 1 to 3
   * @param layers one sized expression per layer
   * @param seed the evaluation seed
   * @return the spec
   */
  public static CandidateSpec of(int index, int stage, List<Expr> layers, long seed) {
    List<String> text = new ArrayList<>();
    layers.forEach(e -> text.add(e.toString()));
    return new CandidateSpec(index, stage, text, seed);
  }

  /** Returns the parsed per-layer expressions. */
  public List<Expr> layers() {
    List<Expr> out = new ArrayList<>();
    expressions.forEach(e -> out.add(ExprParser.parse(e)));
    return List.copyOf(out);
  }
}

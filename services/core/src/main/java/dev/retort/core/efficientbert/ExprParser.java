package dev.retort.core.efficientbert;

import dev.retort.core.RetortException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses FFN expressions written in prefix notation.
 *
 * <p>Grammar: {@code expr := name | name '(' expr (',' expr)* ')'}, where {@code name} is a
 * terminal ({@code x}, {@code wb1}, {@code wb2}), an activation ({@code gelu}, {@code sigmoid},
 * {@code tanh}, {@code relu}, {@code leaky_relu}, {@code elu}, {@code swish}), a binary op ({@code
 * add}, {@code mul}, {@code max}), {@code linearA_B} with A and B in 1..4, or the stage-2 {@code
 * linear}. Spaces between tokens are ignored (DEAP prints {@code linear(x, wb1)}). The argument
 * count must match the arity; argument types are not checked here (see {@link ValidityRules}).
 */
public final class ExprParser {
  private static final Pattern SIZED_LINEAR = Pattern.compile("linear(\\d{1,6})_(\\d{1,6})");
  private static final String FIX =
      "Write the FFN in prefix form, e.g. linear1_1(gelu(linear1_1(x,wb1)),wb2), with operators"
          + " linearA_B (A, B in 1..4), linear, add, mul, max, gelu, sigmoid, tanh, relu,"
          + " leaky_relu, elu, swish and terminals x, wb1, wb2";

  private final String text;
  private int pos;

  private ExprParser(String text) {
    this.text = text;
  }

  /**
   * Parses one expression.
   *
   * @param text e.g. {@code linear2_2(gelu(linear2_2(max(x,tanh(x)),wb1)),wb2)}
   * @return the tree
   * @throws RetortException naming the column (1-based) and what was expected there
   */
  public static Expr parse(String text) {
    if (text == null) {
      throw new RetortException("FFN expression", "the expression is missing", FIX);
    }
    ExprParser parser = new ExprParser(text);
    Expr expr = parser.expr();
    parser.skipSpaces();
    if (parser.pos < text.length()) {
      throw parser.error(
          parser.pos,
          "unexpected " + parser.describe(parser.pos) + " after the end of the expression");
    }
    return expr;
  }

  private Expr expr() {
    skipSpaces();
    int start = pos;
    while (pos < text.length() && isNameChar(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error(start, "expected an operator or a terminal but found " + describe(start));
    }
    String name = text.substring(start, pos);
    Symbol symbol = resolve(name, start);
    skipSpaces();
    if (symbol.arity() == 0) {
      if (at('(')) {
        throw error(pos, "terminal '" + name + "' takes no arguments but is followed by '('");
      }
      return Expr.of(symbol, List.of());
    }
    if (!at('(')) {
      throw error(pos, "expected '(' after '" + name + "' but found " + describe(pos));
    }
    pos++;
    List<Expr> args = new ArrayList<>();
    args.add(expr());
    skipSpaces();
    while (at(',')) {
      if (args.size() == symbol.arity()) {
        throw error(pos, tooMany(name, symbol.arity()));
      }
      pos++;
      args.add(expr());
      skipSpaces();
    }
    if (!at(')')) {
      throw error(
          pos, "expected ',' or ')' in the arguments of '" + name + "' but found " + describe(pos));
    }
    if (args.size() < symbol.arity()) {
      throw error(
          pos,
          "'"
              + name
              + "' takes "
              + symbol.arity()
              + " arguments but got "
              + args.size()
              + "; expected ',' but found ')'");
    }
    pos++;
    return Expr.of(symbol, args);
  }

  private Symbol resolve(String name, int start) {
    for (Terminal t : Terminal.values()) {
      if (t.token().equals(name)) {
        return t;
      }
    }
    for (Activation a : Activation.values()) {
      if (a.token().equals(name)) {
        return a;
      }
    }
    for (BinaryOp b : BinaryOp.values()) {
      if (b.token().equals(name)) {
        return b;
      }
    }
    if (name.equals(LinearSize.GENERIC.token())) {
      return LinearSize.GENERIC;
    }
    Matcher m = SIZED_LINEAR.matcher(name);
    if (m.matches()) {
      int a = Integer.parseInt(m.group(1));
      int b = Integer.parseInt(m.group(2));
      if (a < 1 || a > LinearSize.MAX_STACKS || b < 1 || b > LinearSize.MAX_RATIO_INDEX) {
        throw error(
            start,
            "linear size "
                + a
                + "_"
                + b
                + " in '"
                + name
                + "' is outside 1_1 .. 4_4"
                + " (A = stacked FFNs 1..4, B = inner width H/B with B 1..4)");
      }
      return LinearSize.of(a, b);
    }
    throw error(start, "unknown operator or terminal '" + name + "'");
  }

  private static String tooMany(String name, int arity) {
    return "'"
        + name
        + "' takes "
        + arity
        + (arity == 1 ? " argument" : " arguments")
        + " but more are given; expected ')' but found ','";
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private boolean at(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private String describe(int at) {
    return at >= text.length() ? "the end of the expression" : "'" + text.charAt(at) + "'";
  }

  private RetortException error(int at, String what) {
    return new RetortException("FFN expression '" + text + "', column " + (at + 1), what, FIX);
  }
}

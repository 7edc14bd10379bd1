package dev.retort.core.efficientbert;

/**
 * Prints an {@link Expr} in the canonical prefix form {@code op(arg1,arg2)}, without spaces.
 *
 * <p>This is the form the reference code compares and logs ({@code str(expr).replace(' ', '')}), so
 * string deduplication and the published expressions match character for character.
 */
public final class ExprPrinter {
  private ExprPrinter() {}

  /**
   * Prints an expression.
   *
   * @param expr the tree
   * @return e.g. {@code linear1_2(relu(mul(linear1_2(x,wb1),x)),wb2)}
   */
  public static String print(Expr expr) {
    StringBuilder sb = new StringBuilder();
    append(sb, expr);
    return sb.toString();
  }

  private static void append(StringBuilder sb, Expr expr) {
    sb.append(expr.symbol().token());
    if (expr.children().isEmpty()) {
      return;
    }
    sb.append('(');
    boolean first = true;
    for (Expr child : expr.children()) {
      if (!first) {
        sb.append(',');
      }
      append(sb, child);
      first = false;
    }
    sb.append(')');
  }
}

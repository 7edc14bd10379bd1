package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import dev.retort.core.RetortException;
import java.util.Optional;

/**
 * Computes an FFN expression on DJL arrays.
 *
 * <p>Semantics (reference {@code utils/operator_utils.py}): {@code linear(in, (W, b)) = in W + b};
 * activations element-wise; {@code add/mul/max} truncate both operands to the first {@code min(c1,
 * c2)} channels. Only out-of-place ops are used, so the result can be differentiated with respect
 * to {@code x} and the weights inside a {@code GradientCollector}. Intermediate arrays belong to
 * {@code x}'s manager.
 */
public final class ExprEvaluator {
  private ExprEvaluator() {}

  /**
   * Evaluates an expression.
   *
   * @param expr the tree; must pass {@link ExprShapes#typeError(Expr)}
   * @param x the layer input {@code [B, L, H]}
   * @param wb1 {@code W1 [H, m]}, {@code b1 [m]}
   * @param wb2 {@code W2 [m, H]}, {@code b2 [H]}
   * @return {@code f(x, wb1, wb2)}, {@code [B, L, H]} for a valid expression
   * @throws RetortException if a weight pair is used as a tensor or a linear's input width does not
   *     match its weight
   */
  public static NDArray evaluate(Expr expr, NDArray x, LinearWeights wb1, LinearWeights wb2) {
    Optional<String> typeError = ExprShapes.typeError(expr);
    if (typeError.isPresent()) {
      throw new RetortException(
          "FFN expression '" + expr + "'",
          typeError.get(),
          "Use wb1 and wb2 only as the second argument of a linear");
    }
    return eval(expr, expr, x, wb1, wb2);
  }

  private static NDArray eval(
      Expr root, Expr expr, NDArray x, LinearWeights wb1, LinearWeights wb2) {
    if (expr instanceof Expr.Leaf) {
      return x; // type-checked: only x is evaluated as a tensor
    }
    if (expr instanceof Expr.Unary unary) {
      return unary.op().apply(eval(root, unary.input(), x, wb1, wb2));
    }
    if (expr instanceof Expr.Binary binary) {
      NDArray left = eval(root, binary.left(), x, wb1, wb2);
      NDArray right = eval(root, binary.right(), x, wb1, wb2);
      return binary.op().apply(left, right);
    }
    Expr.Linear linear = (Expr.Linear) expr;
    NDArray in = eval(root, linear.input(), x, wb1, wb2); // [B, L, in]
    Terminal which = ((Expr.Leaf) linear.weights()).terminal();
    LinearWeights wb = which == Terminal.WB1 ? wb1 : wb2;
    long width = in.getShape().get(in.getShape().dimension() - 1);
    if (width != wb.inputWidth()) {
      throw new RetortException(
          "FFN expression '" + root + "', node " + linear,
          "the input has width "
              + width
              + " but "
              + which.token()
              + "'s W has "
              + wb.inputWidth()
              + " rows",
          "Feed wb1's linear with a width-H tensor and wb2's linear with wb1's width-m result");
    }
    return in.matMul(wb.weight()).add(wb.bias()); // [B, L, out]
  }
}

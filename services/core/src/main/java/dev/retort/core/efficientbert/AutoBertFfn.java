package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;
import dev.retort.core.model.Dense;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.LayerNormalization;

/**
 * One stacked FFN of an EfficientBERT layer (reference {@code models/auto_bert.py}, {@code
 * AutoBertFeedForwardNetwork}).
 *
 * <pre>
 * wb1 = (dense1.weight[:m, :]^T, dense1.bias[:m])      // W1 [H, m], b1 [m]
 * wb2 = (dense2.weight[:, :m]^T, dense2.bias)          // W2 [m, H], b2 [H]
 * out = LayerNorm(x + Dropout(f(x, wb1, wb2)))         // f: the layer's expression
 * </pre>
 *
 * <p>Parameters: {@code dense1.weight} [S, H], {@code dense1.bias} [S], {@code dense2.weight} [H,
 * S], {@code dense2.bias} [H], {@code layernorm.weight/bias} [H], where S is the stored inner
 * width. A supernet stores the full width (S = I) and each forward uses the first m units; a final
 * model stores only what it uses (S = m).
 */
public final class AutoBertFfn extends HfModule {
  private final int storedWidth;
  private final float dropout;
  private final Dense dense1;
  private final Dense dense2;
  private final LayerNormalization layernorm;

  /**
   * Creates the FFN.
   *
   * @param hidden H
   * @param storedWidth S, the inner width the weights are stored at
   * @param options dropout, LayerNorm epsilon and initialiser
   */
  public AutoBertFfn(int hidden, int storedWidth, AutoBertOptions options) {
    this.storedWidth = storedWidth;
    this.dropout = options.hiddenDropout();
    float std = options.initializerRange();
    dense1 = module("dense1", new Dense(hidden, storedWidth, std));
    dense2 = module("dense2", new Dense(storedWidth, hidden, std));
    layernorm = module("layernorm", new LayerNormalization(hidden, options.layerNormEps()));
  }

  /** Returns S, the stored inner width. */
  public int storedWidth() {
    return storedWidth;
  }

  /**
   * Applies the FFN.
   *
   * @param ps the parameter store of this pass
   * @param x the input, [B, L, H]
   * @param expr the layer's expression {@code f(x, wb1, wb2)}
   * @param inner m, the inner width to use, 1..S
   * @param training whether dropout is active
   * @return {@code LayerNorm(x + Dropout(f(x, wb1, wb2)))}, [B, L, H]
   */
  public NDArray forward(ParameterStore ps, NDArray x, Expr expr, int inner, boolean training) {
    FfnSlices wb =
        FfnSlices.slice(
            value(ps, dense1.weight(), training), // [S, H]
            value(ps, dense1.bias(), training), // [S]
            value(ps, dense2.weight(), training), // [H, S]
            value(ps, dense2.bias(), training), // [H]
            inner);
    NDArray f = ExprEvaluator.evaluate(expr, x, wb.wb1(), wb.wb2()); // [B, L, H]
    NDArray dropped = HostDropout.apply(f, dropout, training); // [B, L, H]
    return layernorm.forward(ps, x.add(dropped), training); // [B, L, H]
  }
}

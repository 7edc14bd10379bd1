package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.model.AttentionResult;
import dev.retort.core.model.BertAttention;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.ModuleList;
import java.util.ArrayList;
import java.util.List;

/**
 * One EfficientBERT transformer layer, {@code MHA -> FFN_1 -> ... -> FFN_A} (reference {@code
 * models/auto_bert.py}, {@code AutoBertTransformerBlock}).
 *
 * <p>Children: {@code attention}, BERT's post-LayerNorm multi-head attention ({@link
 * BertAttention}, so its parameters are {@code attention.self.query} ... {@code
 * attention.output.LayerNorm} where the reference has {@code attention.query} ... {@code
 * attention.layernorm}), and {@code all_ffn.0} .. {@code all_ffn.(S-1)}, the stored {@link
 * AutoBertFfn}s. A forward pass uses the first A of them.
 */
public final class AutoBertLayer extends HfModule {
  private final BertAttention attention;
  private final ModuleList<AutoBertFfn> allFfn;

  /**
   * Creates the layer.
   *
   * @param config H, heads, dropout and epsilon of the attention block
   * @param storedStacks how many FFNs are stored (A for a final model, 4 for a supernet)
   * @param storedWidth the inner width each FFN is stored at
   * @param options dropout, LayerNorm epsilon and initialiser of the FFNs
   */
  public AutoBertLayer(
      BertConfig config, int storedStacks, int storedWidth, AutoBertOptions options) {
    attention = module("attention", new BertAttention(config));
    List<AutoBertFfn> ffns = new ArrayList<>();
    for (int k = 0; k < storedStacks; k++) {
      ffns.add(new AutoBertFfn(config.hiddenSize(), storedWidth, options));
    }
    allFfn = module("all_ffn", new ModuleList<>(ffns));
  }

  /** Returns how many FFNs are stored. */
  public int storedStacks() {
    return allFfn.size();
  }

  /** Returns the inner width the FFNs are stored at. */
  public int storedWidth() {
    return allFfn.get(0).storedWidth();
  }

  /**
   * Runs attention and the first {@code stacks} FFNs.
   *
   * @param ps the parameter store of this pass
   * @param hidden the layer input, [B, L, H]
   * @param additiveMask [B, 1, 1, L]
   * @param expr the FFN expression shared by the stacked FFNs
   * @param stacks A, 1..{@link #storedStacks()}
   * @param inner m, 1..{@link #storedWidth()}
   * @param training whether dropout is active
   * @return the layer output [B, L, H] in {@code context}, with the attention scores and
   *     probabilities
   */
  public AttentionResult forward(
      ParameterStore ps,
      NDArray hidden,
      NDArray additiveMask,
      Expr expr,
      int stacks,
      int inner,
      boolean training) {
    if (stacks < 1 || stacks > storedStacks()) {
      throw new IllegalArgumentException(
          "stack count " + stacks + " is outside 1.." + storedStacks());
    }
    AttentionResult att = attention.forward(ps, hidden, additiveMask, training);
    NDArray h = att.context(); // [B, L, H]
    for (int k = 0; k < stacks; k++) {
      h = allFfn.get(k).forward(ps, h, expr, inner, training); // [B, L, H]
    }
    return new AttentionResult(h, att.scores(), att.probs());
  }
}

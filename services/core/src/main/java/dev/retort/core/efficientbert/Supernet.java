package dev.retort.core.efficientbert;

import ai.djl.training.ParameterStore;
import dev.retort.core.RetortException;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Taps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The weight-sharing supernet of EfficientBERT's warm-up (reference {@code models/supernet.py},
 * {@code SupernetConfig}): every layer stores 4 stacked GELU FFNs of full inner width I, the
 * largest point of the search space, plus the MobileBERT embedding and {@code fit_dense}.
 *
 * <p>Run as is, each layer computes {@code FFN_4(FFN_3(FFN_2(FFN_1(MHA(x)))))} with {@code FFN_k(x)
 * = LayerNorm(x + W2 gelu(W1 x + b1) + b2)}. A candidate architecture runs on the same weights:
 * layer l uses its first A FFNs and their first {@code m = int(I / B)} inner units, and the
 * candidate's expression instead of the GELU FFN ({@link #forward(ParameterStore, BertInput,
 * EfficientBertArch, Taps, boolean)}). {@link SupernetSlicer} extracts such a candidate as a
 * standalone {@link EfficientBertModel}.
 *
 * <p>The weights live in {@link #model()}, an {@link EfficientBertModel} whose parameter names
 * equal the reference supernet's state-dict keys (attention aside, see {@link AutoBertLayer}).
 */
public final class Supernet {
  private final EfficientBertModel model;

  /**
   * Creates an uninitialised supernet with the dimensions of {@code dims}.
   *
   * @param dims H, heads, E, I, V, P, T, F and the layer count; its expressions are ignored
   * @param options dropout, LayerNorm epsilon and initialiser
   */
  public Supernet(EfficientBertArch dims, AutoBertOptions options) {
    this.model = new EfficientBertModel(largestOf(dims), options);
  }

  /** Returns the model that holds the weights (initialise, train and save this). */
  public EfficientBertModel model() {
    return model;
  }

  /** Returns the largest architecture, every layer {@code linear4_1} with the GELU FFN. */
  public EfficientBertArch arch() {
    return model.arch();
  }

  /**
   * Runs the full supernet: 4 GELU FFNs of width I per layer.
   *
   * @param ps the parameter store of this pass
   * @param input the batch
   * @param taps which intermediate tensors to return
   * @param training whether dropout is active
   * @return the outputs, pooled and logits null
   */
  public BertOutputs forward(ParameterStore ps, BertInput input, Taps taps, boolean training) {
    return model.forward(ps, input, taps, training);
  }

  /**
   * Runs a candidate on the shared weights.
   *
   * @param ps the parameter store of this pass
   * @param input the batch
   * @param sub the candidate, from {@link #subArchitecture(List)} or {@link #subArchitecture(List,
   *     List)}, or any architecture with the supernet's dimensions
   * @param taps which intermediate tensors to return
   * @param training whether dropout is active
   * @return the outputs, pooled and logits null
   * @throws RetortException if the candidate does not fit the supernet
   */
  public BertOutputs forward(
      ParameterStore ps, BertInput input, EfficientBertArch sub, Taps taps, boolean training) {
    return model.forward(ps, input, sub, taps, training);
  }

  /**
   * Returns a candidate with the base GELU FFN {@code linearA_B(gelu(linearA_B(x,wb1)),wb2)} in
   * every layer.
   *
   * @param sizes one {@code A_B} per layer
   * @return the candidate
   */
  public EfficientBertArch subArchitecture(List<LinearSize> sizes) {
    return subArchitecture(sizes, Collections.nCopies(sizes.size(), baseExpression(null)));
  }

  /**
   * Returns a candidate with the given expressions, each bound to its layer's size.
   *
   * @param sizes one {@code A_B} per layer
   * @param expressions one expression per layer; sized or generic {@code linear}s, whose size is
   *     replaced by the layer's
   * @return the candidate
   * @throws RetortException if the counts do not match the supernet's layers or an expression is
   *     invalid
   */
  public EfficientBertArch subArchitecture(List<LinearSize> sizes, List<Expr> expressions) {
    EfficientBertArch dims = model.arch();
    if (sizes.size() != dims.numLayers() || expressions.size() != dims.numLayers()) {
      throw new RetortException(
          "supernet sub-architecture",
          "has "
              + sizes.size()
              + " sizes and "
              + expressions.size()
              + " expressions for "
              + dims.numLayers()
              + " layers",
          "Give one size and one expression per layer");
    }
    List<Expr> bound = new ArrayList<>();
    for (int l = 0; l < sizes.size(); l++) {
      bound.add(ExprTrees.withLinearSize(expressions.get(l), sizes.get(l)));
    }
    return dims.withLayerExpressions(bound);
  }

  /**
   * Returns the reference supernet's dimensions and layer count: 6 layers, H 540, 12 heads, E 128,
   * I = H, F 768, each layer {@code linear4_1} with the GELU FFN.
   */
  public static EfficientBertArch referenceArch() {
    return EfficientBertArch.builder()
        .setHiddenSize(540)
        .setLayerExpressions(Collections.nCopies(6, baseExpression(null)))
        .build();
  }

  /**
   * Returns {@code dims} with every layer set to the largest point, {@code
   * linear4_1(gelu(linear4_1(x,wb1)),wb2)}.
   *
   * @param dims the dimensions and layer count
   * @return the largest architecture
   */
  public static EfficientBertArch largestOf(EfficientBertArch dims) {
    Expr largest = baseExpression(LinearSize.of(LinearSize.MAX_STACKS, 1));
    return dims.withLayerExpressions(Collections.nCopies(dims.numLayers(), largest));
  }

  /**
   * Returns the base FFN {@code linearA_B(gelu(linearA_B(x,wb1)),wb2)}, the 16 seeds of the stage-1
   * population.
   *
   * @param size {@code A_B}, or null for the largest, {@code 4_1}
   * @return the expression
   */
  public static Expr baseExpression(LinearSize size) {
    LinearSize s = size == null ? LinearSize.of(LinearSize.MAX_STACKS, 1) : size;
    return ExprParser.parse("linear" + s.key() + "(gelu(linear" + s.key() + "(x,wb1)),wb2)");
  }
}

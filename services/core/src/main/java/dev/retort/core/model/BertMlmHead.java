package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * The masked-language-model head (Hugging Face {@code BertLMPredictionHead}, reached as {@code
 * cls.predictions}): {@code transform.dense}, {@code transform.LayerNorm} and {@code bias} [V]; the
 * decoder weight is tied to the word embeddings.
 *
 * <p>{@code logits = LayerNorm(gelu(dense(h))) E^T + bias}.
 */
public final class BertMlmHead extends HfModule {
  private final Gelu gelu;
  private final Transform transform;
  private final Parameter bias;

  /** Creates the head of {@code config}. */
  public BertMlmHead(BertConfig config) {
    gelu = config.gelu();
    transform = module("transform", new Transform(config));
    bias = parameter("bias", new Shape(config.vocabSize()), Initializer.ZEROS);
  }

  /**
   * Predicts token logits.
   *
   * @param ps the parameter store of this pass
   * @param sequenceOutput [B, L, H]
   * @param wordEmbeddings the tied decoder weight, [V, H]
   * @param training whether this is a training pass
   * @return the logits, [B, L, V]
   */
  public NDArray forward(
      ParameterStore ps, NDArray sequenceOutput, NDArray wordEmbeddings, boolean training) {
    NDArray h = transform.dense.forward(ps, sequenceOutput, training); // [B, L, H]
    h = transform.layerNorm.forward(ps, Activations.gelu(h, gelu), training); // [B, L, H]
    // linear computes h E^T + bias without materialising E^T in the weights' manager.
    return ai.djl.nn.core.Linear.linear(h, wordEmbeddings, value(ps, bias, training))
        .singletonOrThrow(); // [B, L, V]
  }

  /** The {@code transform} child: {@code dense} H to H and {@code LayerNorm}. */
  static final class Transform extends HfModule {
    final Dense dense;
    final LayerNormalization layerNorm;

    Transform(BertConfig config) {
      dense =
          module(
              "dense",
              new Dense(config.hiddenSize(), config.hiddenSize(), config.initializerRange()));
      layerNorm =
          module("LayerNorm", new LayerNormalization(config.hiddenSize(), config.layerNormEps()));
    }
  }
}

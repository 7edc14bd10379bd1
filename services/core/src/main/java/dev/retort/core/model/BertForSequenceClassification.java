package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT with a classification or regression head (Hugging Face {@code
 * BertForSequenceClassification}): children {@code bert} and {@code classifier} [C, H].
 *
 * <p>A multi-domain model (HRKD's meta-teacher and student) shares {@code bert} and has one head
 * per domain, named {@code classifiers.0}, {@code classifiers.1}, ... in the order of {@link
 * HeadConfig#domains()}; exporting one domain renames its head to {@code classifier}.
 */
public final class BertForSequenceClassification extends HfModule {
  private final BertConfig config;
  private final HeadConfig head;
  private final BertModel bert;
  private final List<Dense> classifiers = new ArrayList<>();

  /**
   * Creates an uninitialised model.
   *
   * @param config the encoder
   * @param head the head(s)
   */
  public BertForSequenceClassification(BertConfig config, HeadConfig head) {
    this.config = config;
    this.head = head;
    bert = module("bert", new BertModel(config));
    int h = config.hiddenSize();
    float std = config.initializerRange();
    if (head.multiDomain()) {
      List<Dense> list = new ArrayList<>();
      for (int i = 0; i < head.domains().size(); i++) {
        list.add(new Dense(h, head.numLabels(), std));
      }
      classifiers.addAll(module("classifiers", new ModuleList<>(list)).items());
    } else {
      classifiers.add(module("classifier", new Dense(h, head.numLabels(), std)));
    }
  }

  /** Returns the encoder configuration. */
  public BertConfig config() {
    return config;
  }

  /** Returns the head configuration. */
  public HeadConfig head() {
    return head;
  }

  /** Returns the encoder. */
  public BertModel bert() {
    return bert;
  }

  /** Returns the classifier of domain {@code d}. */
  public Dense classifier(int d) {
    return classifiers.get(d);
  }

  /**
   * Runs the encoder and the head of the first (or only) domain.
   *
   * @see #forward(ParameterStore, BertInput, Taps, boolean, int)
   */
  public BertOutputs forward(ParameterStore ps, BertInput input, Taps taps, boolean training) {
    return forward(ps, input, taps, training, 0);
  }

  /**
   * Runs the encoder and one domain's head. See {@link BertOutputs} for the taps.
   *
   * @param ps the parameter store of this pass
   * @param input the batch, all of one domain
   * @param taps which intermediate tensors to return
   * @param training whether dropout is active
   * @param domain index into {@link HeadConfig#domains()}
   * @return the outputs with logits [B, C] ([B, 1] for regression)
   */
  public BertOutputs forward(
      ParameterStore ps, BertInput input, Taps taps, boolean training, int domain) {
    BertOutputs out = bert.forward(ps, input, taps, training);
    return out.withLogits(logits(ps, out.pooled(), training, domain));
  }

  /**
   * Applies a domain's head to a pooled output.
   *
   * @param ps the parameter store of this pass
   * @param pooled [B, H]
   * @param training whether dropout is active
   * @param domain index into {@link HeadConfig#domains()}
   * @return the logits, [B, C]
   */
  public NDArray logits(ParameterStore ps, NDArray pooled, boolean training, int domain) {
    NDArray x =
        head.pooledActivation() == PooledActivation.RELU
            ? Activation.relu(pooled)
            : HostDropout.apply(pooled, head.classifierDropout(), training);
    return classifiers.get(domain).forward(ps, x, training); // [B, C]
  }
}

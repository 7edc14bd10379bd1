package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.BertPooler;
import dev.retort.core.model.Dense;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.LayerStack;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.ModuleList;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.model.Taps;
import java.util.ArrayList;
import java.util.List;

/**
 * An EfficientBERT model: trigram embedding, layers of attention plus stacked searched FFNs, the
 * shared distillation projection and, optionally, a classification head (reference {@code
 * models/auto_bert.py}: {@code AutoBertSingle} without a head, {@code AutoBert} with one, {@code
 * MultiTaskAutoBert} with one head per task).
 *
 * <p>Children, named as in the reference: {@code embeddings} ({@link MobileBertEmbeddings}), {@code
 * encoder.i} ({@link AutoBertLayer}), {@code fit_dense} [F, H] and with a head {@code
 * cls_pooler.dense} [H, H] plus {@code classifier} [C, H] (or {@code classifiers.d}).
 *
 * <p>Layer l stores exactly the FFNs its expression's {@code linearA_B} uses: A of them, each of
 * inner width {@code m = int(I / B)}; so {@link #parameterCount()} without a head equals {@link
 * ParamCount#total(EfficientBertArch)}. The {@link Supernet} is this class built for the largest
 * point of the space (4 FFNs of width I per layer), run with smaller architectures through {@link
 * #forward(ParameterStore, BertInput, EfficientBertArch, Taps, boolean, int)}.
 *
 * <p>The forward pass returns {@link BertOutputs} with the usual taps: raw hidden states of width H
 * (not projected; distillation projects them through {@link #fitDense()}), pre-softmax scores [B,
 * A, L, L], and with a head the pooled output and logits.
 */
public final class EfficientBertModel extends HfModule {
  /**
   * Loading encoder weights (pre-trained or sliced from the supernet) into a model with a head: the
   * pooler and classifiers may be missing and keep their fresh values; nothing else may.
   */
  public static final LoadPolicy ENCODER_WEIGHTS =
      new LoadPolicy(List.of("cls_pooler.", "classifier.", "classifiers."), false);

  private final EfficientBertArch arch;
  private final HeadConfig head;
  private final MobileBertEmbeddings embeddings;
  private final ModuleList<AutoBertLayer> encoder;
  private final Dense fitDense;
  private final BertPooler clsPooler;
  private final List<Dense> classifiers = new ArrayList<>();
  private final List<Integer> storedStacks = new ArrayList<>();
  private final List<Integer> storedWidths = new ArrayList<>();

  /**
   * Creates an uninitialised model without a head.
   *
   * @param arch dimensions and per-layer FFN expressions
   * @param options dropout, LayerNorm epsilon and initialiser
   */
  public EfficientBertModel(EfficientBertArch arch, AutoBertOptions options) {
    this(arch, options, null);
  }

  /**
   * Creates an uninitialised model.
   *
   * @param arch dimensions and per-layer FFN expressions
   * @param options dropout, LayerNorm epsilon and initialiser
   * @param head the prediction head(s), or null for a bare encoder
   */
  public EfficientBertModel(EfficientBertArch arch, AutoBertOptions options, HeadConfig head) {
    this.arch = arch;
    this.head = head;
    BertConfig config = options.bertConfig(arch);
    embeddings = module("embeddings", new MobileBertEmbeddings(arch, options));
    List<AutoBertLayer> layers = new ArrayList<>();
    for (int l = 0; l < arch.numLayers(); l++) {
      storedStacks.add(arch.linearSize(l).stacks());
      storedWidths.add(arch.innerWidth(l));
      layers.add(new AutoBertLayer(config, storedStacks.get(l), storedWidths.get(l), options));
    }
    encoder = module("encoder", new ModuleList<>(layers));
    float std = options.initializerRange();
    fitDense = module("fit_dense", new Dense(arch.hiddenSize(), arch.fitSize(), std));
    if (head == null) {
      clsPooler = null;
      return;
    }
    clsPooler = module("cls_pooler", new BertPooler(config));
    int h = arch.hiddenSize();
    if (head.multiDomain()) {
      List<Dense> list = new ArrayList<>();
      for (int d = 0; d < head.domains().size(); d++) {
        list.add(new Dense(h, head.numLabels(), std));
      }
      classifiers.addAll(module("classifiers", new ModuleList<>(list)).items());
    } else {
      classifiers.add(module("classifier", new Dense(h, head.numLabels(), std)));
    }
  }

  /** Returns the architecture the weights were built for. */
  public EfficientBertArch arch() {
    return arch;
  }

  /** Returns the head configuration, or null for a bare encoder. */
  public HeadConfig head() {
    return head;
  }

  /** Returns the embedding block. */
  public MobileBertEmbeddings embeddings() {
    return embeddings;
  }

  /** Returns the layers. */
  public ModuleList<AutoBertLayer> encoder() {
    return encoder;
  }

  /** Returns the shared distillation projection {@code fit_dense}, H to F. */
  public Dense fitDense() {
    return fitDense;
  }

  /**
   * Runs the model's own architecture with the first (or only) head.
   *
   * @see #forward(ParameterStore, BertInput, EfficientBertArch, Taps, boolean, int)
   */
  public BertOutputs forward(ParameterStore ps, BertInput input, Taps taps, boolean training) {
    return forward(ps, input, arch, taps, training, 0);
  }

  /**
   * Runs a sub-architecture of the stored weights with the first (or only) head.
   *
   * @see #forward(ParameterStore, BertInput, EfficientBertArch, Taps, boolean, int)
   */
  public BertOutputs forward(
      ParameterStore ps, BertInput input, EfficientBertArch active, Taps taps, boolean training) {
    return forward(ps, input, active, taps, training, 0);
  }

  /**
   * Runs an architecture on the stored weights: layer l uses its first A FFNs and their first m
   * inner units, with A and m from {@code active}'s {@code linearA_B}, and evaluates {@code
   * active}'s expression. See {@link BertOutputs} for the taps.
   *
   * @param ps the parameter store of this pass
   * @param input the batch
   * @param active the architecture to run; {@link #arch()} or a sub-architecture of it
   * @param taps which intermediate tensors to return
   * @param training whether dropout is active
   * @param domain the head to apply, an index into {@link HeadConfig#domains()}
   * @return the outputs; pooled and logits are null without a head
   * @throws dev.retort.core.RetortException if {@code active} does not fit the stored weights
   */
  public BertOutputs forward(
      ParameterStore ps,
      BertInput input,
      EfficientBertArch active,
      Taps taps,
      boolean training,
      int domain) {
    SubnetCheck.require(arch, storedStacks, storedWidths, active);
    NDArray mask = input.additiveMask(); // [B, 1, 1, L]
    NDArray h = embeddings.forward(ps, input, training); // [B, L, H]
    List<NDArray> hidden = new ArrayList<>();
    List<NDArray> scores = new ArrayList<>();
    List<NDArray> probs = new ArrayList<>();
    if (taps.hiddenStates()) {
      hidden.add(h);
    }
    h =
        LayerStack.run(
            arch.numLayers(),
            h,
            taps,
            (l, x) ->
                encoder
                    .get(l)
                    .forward(
                        ps,
                        x,
                        mask,
                        active.layerExpressions().get(l),
                        active.linearSize(l).stacks(),
                        active.innerWidth(l),
                        training),
            hidden,
            scores,
            probs); // [B, L, H]
    if (head == null) {
      return new BertOutputs(hidden, scores, probs, h, null, null);
    }
    NDArray pooled = clsPooler.forward(ps, h, training); // [B, H]
    return new BertOutputs(hidden, scores, probs, h, pooled, logits(ps, pooled, training, domain));
  }

  /**
   * Applies a head to a pooled output: {@code classifier(dropout(pooled))} as the reference's
   * {@code BertClsPooler} plus {@code classifier}.
   *
   * @param ps the parameter store of this pass
   * @param pooled {@code tanh(W h_[CLS] + b)}, [B, H]
   * @param training whether dropout is active
   * @param domain an index into {@link HeadConfig#domains()}
   * @return the logits, [B, C]
   */
  public NDArray logits(ParameterStore ps, NDArray pooled, boolean training, int domain) {
    if (head == null) {
      throw new IllegalStateException("this EfficientBERT model has no head");
    }
    NDArray x =
        head.pooledActivation() == PooledActivation.RELU
            ? Activation.relu(pooled)
            : HostDropout.apply(pooled, head.classifierDropout(), training);
    return classifiers.get(domain).forward(ps, x, training); // [B, C]
  }
}

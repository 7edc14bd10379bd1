package dev.retort.core.efficientbert.search;

import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.ArchFeatures;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.ExprTrees;
import dev.retort.core.efficientbert.FunctionalHash;
import dev.retort.core.efficientbert.LinearSize;
import dev.retort.core.efficientbert.ParamCount;
import dev.retort.core.efficientbert.PrimitiveSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The candidates one search stage may propose: how a random candidate is drawn, its parameter
 * count, its sampler features and its deduplication key.
 *
 * <p>A random candidate has one FFN expression per layer, drawn as {@link LayerDraws} describes
 * (stage 1: mutated base FFNs; stage 2: mutated operators of the best two seeds with the best
 * seed's sizes; stage 3: the best seed's operators with random sizes).
 *
 * <p>The whole candidate is drawn again until its parameter count is in the budget, at most {@code
 * maxTries} times (reference: 1000). Features are {@link ArchFeatures#treeIds} (stages 1, 2) or
 * {@link ArchFeatures#sizeIds} (stage 3). Keys are the functional hash in stages 1 and 2 (the
 * reference's {@code --hash} option) and the printed sizes in stage 3.
 */
public final class SearchSpace {
  private final EfficientBertArch dims;
  private final SearchStage stage;
  private final ParamBudget budget;
  private final List<List<Expr>> seeds;
  private final LayerDraws draws;
  private final int maxTries;
  private final FunctionalHash hash;
  private final Map<String, Long> paramList;

  private SearchSpace(Builder b) {
    this.dims = b.dims;
    this.stage = b.stage;
    this.budget = b.budget;
    this.seeds = List.copyOf(b.seeds);
    this.maxTries = b.maxTries;
    this.hash = b.hash;
    this.paramList = ParamCount.paramList(dims);
    this.draws = new LayerDraws(dims, stage, seeds, b.expressionTries);
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the stage. */
  public SearchStage stage() {
    return stage;
  }

  /** Returns the model dimensions (the supernet's; their expressions are ignored). */
  public EfficientBertArch dims() {
    return dims;
  }

  /** Returns the parameter budget. */
  public ParamBudget budget() {
    return budget;
  }

  /**
   * Draws a random candidate that meets the rules and the budget.
   *
   * @param rnd the random source
   * @return one sized expression per layer, or empty if {@code maxTries} draws all failed
   */
  public Optional<List<Expr>> sample(RandomGenerator rnd) {
    for (int t = 0; t < maxTries; t++) {
      List<Expr> c = new ArrayList<>();
      for (int l = 0; l < dims.numLayers() && c.size() == l; l++) {
        Expr e = draws.draw(l, rnd);
        if (e != null) {
          c.add(e);
        }
      }
      if (c.size() == dims.numLayers() && budget.contains(parameters(c))) {
        return Optional.of(List.copyOf(c));
      }
    }
    return Optional.empty();
  }

  /**
   * Returns a candidate's parameter count, {@link ParamCount#total(Map, List)}.
   *
   * @param layers one sized expression per layer
   * @return the count
   */
  public long parameters(List<Expr> layers) {
    return ParamCount.total(paramList, sizes(layers));
  }

  /**
   * Returns the sampler's feature vector of a candidate.
   *
   * @param layers one sized expression per layer
   * @return tree ids (stages 1, 2: 20 per layer) or size ids (stage 3: one per layer)
   */
  public double[] features(List<Expr> layers) {
    int[] ids;
    if (stage == SearchStage.SIZES) {
      ids = ArchFeatures.sizeIds(layers);
    } else if (stage == SearchStage.OPS) {
      List<Expr> generic = new ArrayList<>();
      layers.forEach(e -> generic.add(ExprTrees.withLinearSize(e, LinearSize.GENERIC)));
      ids = ArchFeatures.treeIds(generic, PrimitiveSet.stage2());
    } else {
      ids = ArchFeatures.treeIds(layers, PrimitiveSet.stage1());
    }
    double[] out = new double[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = ids[i];
    }
    return out;
  }

  /**
   * Returns the key two candidates share when they are duplicates: the functional hash in stages 1
   * and 2 (when configured), otherwise the printed expressions.
   *
   * @param layers one sized expression per layer
   * @return the key
   */
  public String key(List<Expr> layers) {
    if (hash != null && stage != SearchStage.SIZES) {
      return "hash:" + hash.hash(layers);
    }
    return layers.stream().map(Expr::toString).collect(Collectors.joining(" | "));
  }

  /** Returns a description of everything that shapes the candidates, for state-file checks. */
  public String describe() {
    return "stage="
        + stage.number()
        + " H="
        + dims.hiddenSize()
        + " I="
        + dims.ffnHiddenSize()
        + " heads="
        + dims.numHeads()
        + " E="
        + dims.embeddingSize()
        + " V="
        + dims.vocabSize()
        + " layers="
        + dims.numLayers()
        + " budget=["
        + budget.min()
        + ","
        + budget.max()
        + "] tries="
        + maxTries
        + " hash="
        + (hash != null)
        + " seeds="
        + seeds;
  }

  private static List<LinearSize> sizes(List<Expr> layers) {
    List<LinearSize> out = new ArrayList<>();
    layers.forEach(e -> out.add(ExprTrees.firstLinearSize(e)));
    return out;
  }

  /** Builds a {@link SearchSpace}; dimensions and stage are required. */
  public static final class Builder {
    private EfficientBertArch dims;
    private SearchStage stage;
    private ParamBudget budget = ParamBudget.unlimited();
    private List<List<Expr>> seeds = List.of();
    private int maxTries = 1000;
    private int expressionTries = -1;
    private FunctionalHash hash;
    private boolean defaultHash = true;

    private Builder() {}

    /** Sets the model dimensions and layer count (the supernet's). */
    public Builder setDims(EfficientBertArch d) {
      this.dims = d;
      return this;
    }

    /** Sets the stage. */
    public Builder setStage(SearchStage s) {
      this.stage = s;
      return this;
    }

    /** Sets the parameter budget (default unlimited). */
    public Builder optBudget(ParamBudget b) {
      this.budget = b;
      return this;
    }

    /**
     * Sets the seed candidates, best first: optional extra stage-1 seeds; for stage 2 the stage-1
     * best (its sizes are kept) and runner-up; for stage 3 the stage-2 best (its operators are
     * kept).
     */
    public Builder optSeeds(List<List<Expr>> s) {
      this.seeds = s;
      return this;
    }

    /** Sets how often a whole candidate is drawn before giving up (default 1000). */
    public Builder optMaxTries(int n) {
      this.maxTries = n;
      return this;
    }

    /** Sets the mutation tries per expression (default 1000 in stage 1, 400 in stage 2). */
    public Builder optExpressionTries(int n) {
      this.expressionTries = n;
      return this;
    }

    /**
     * Sets the functional hash for deduplication in stages 1 and 2; null deduplicates by the
     * printed expressions. Default: a hash with the reference's input shape [10, 128, H].
     */
    public Builder optHash(FunctionalHash h) {
      this.hash = h;
      this.defaultHash = false;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the space
     * @throws RetortException if a seed does not fit the model or stages 2 and 3 have no seed
     */
    public SearchSpace build() {
      if (dims == null || stage == null || budget == null || seeds == null) {
        throw new IllegalStateException("You must set the dimensions and the stage");
      }
      if (maxTries < 1) {
        throw new IllegalArgumentException("max tries must be positive, got " + maxTries);
      }
      if (stage != SearchStage.OPS_AND_SIZES && seeds.isEmpty()) {
        throw new RetortException(
            "search stage " + stage.number(),
            "needs the previous stage's best candidate",
            "Set search.previous-stage to the previous stage's search-state.json, or"
                + " search.init-expressions to its per-layer expressions");
      }
      for (List<Expr> seed : seeds) {
        dims.withLayerExpressions(seed); // validates sizes, rules and layer count
        if (seed.size() != dims.numLayers()) {
          throw new RetortException(
              "search seed " + seed,
              "has " + seed.size() + " layers but the supernet has " + dims.numLayers(),
              "Give one expression per layer");
        }
      }
      if (defaultHash) {
        hash = FunctionalHash.builder().setHiddenSize(dims.hiddenSize()).build();
      }
      return new SearchSpace(this);
    }
  }
}

package dev.retort.core.efficientbert.search;

import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.ExprTrees;
import dev.retort.core.efficientbert.ExpressionSampler;
import dev.retort.core.efficientbert.LinearSize;
import dev.retort.core.efficientbert.Supernet;
import dev.retort.core.efficientbert.ValidityRules;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws one layer's FFN expression for a search stage (the per-layer part of {@link
 * SearchSpace#sample}):
 *
 * <ul>
 *   <li>stage 1: a random seed of the layer's pool (the 16 base FFNs, then the layer's expression
 *       of every seed candidate), mutated until the rules and widths hold ({@link
 *       ExpressionSampler}, falling back to the seed);
 *   <li>stage 2: the layer's expression of a random seed candidate with a size-less {@code linear},
 *       mutated with the stage-2 symbols, then given the size of the best seed's layer;
 *   <li>stage 3: the best seed's layer with one of the 16 sizes drawn uniformly.
 * </ul>
 *
 * A stage-2 or stage-3 result whose channel widths do not fit is rejected (null).
 */
final class LayerDraws {
  private final EfficientBertArch dims;
  private final SearchStage stage;
  private final List<List<Expr>> seeds;
  private final List<List<Expr>> stage1Pools = new ArrayList<>();
  private final ExpressionSampler sampler;
  private final ValidityRules rules = ValidityRules.defaults();

  LayerDraws(
      EfficientBertArch dims, SearchStage stage, List<List<Expr>> seeds, int expressionTries) {
    this.dims = dims;
    this.stage = stage;
    this.seeds = List.copyOf(seeds);
    int tries =
        expressionTries > 0
            ? expressionTries
            : stage == SearchStage.OPS
                ? ExpressionSampler.STAGE2_MAX_TRIES
                : ExpressionSampler.STAGE1_MAX_TRIES;
    ExpressionSampler.Builder sb =
        ExpressionSampler.builder().setPrimitiveSet(stage.primitiveSet()).optMaxTries(tries);
    if (stage == SearchStage.OPS_AND_SIZES) {
      sb.optWidthCheck(dims.hiddenSize(), dims.ffnHiddenSize());
    }
    this.sampler = sb.build();
    for (int l = 0; l < dims.numLayers(); l++) {
      List<Expr> pool = new ArrayList<>();
      LinearSize.all().forEach(s -> pool.add(Supernet.baseExpression(s)));
      for (List<Expr> seed : seeds) {
        pool.add(seed.get(l));
      }
      stage1Pools.add(List.copyOf(pool));
    }
  }

  /**
   * Draws layer {@code l}'s expression.
   *
   * @param l the 0-based layer
   * @param rnd the random source
   * @return a sized expression, or null if it does not fit the model's widths
   */
  Expr draw(int l, RandomGenerator rnd) {
    switch (stage) {
      case OPS_AND_SIZES -> {
        List<Expr> pool = stage1Pools.get(l);
        return sampler.sample(pool.get(rnd.nextInt(pool.size())), rnd);
      }
      case OPS -> {
        Expr seed =
            ExprTrees.withLinearSize(
                seeds.get(rnd.nextInt(seeds.size())).get(l), LinearSize.GENERIC);
        Expr mutant = sampler.sample(seed, rnd);
        return fits(
            ExprTrees.withLinearSize(mutant, ExprTrees.firstLinearSize(seeds.get(0).get(l))));
      }
      default -> {
        LinearSize size = LinearSize.all().get(rnd.nextInt(LinearSize.all().size()));
        return fits(ExprTrees.withLinearSize(seeds.get(0).get(l), size));
      }
    }
  }

  private Expr fits(Expr sized) {
    int inner = ExprTrees.firstLinearSize(sized).innerWidth(dims.ffnHiddenSize());
    return rules.check(sized, dims.hiddenSize(), inner).isEmpty() ? sized : null;
  }
}

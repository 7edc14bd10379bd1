package dev.retort.core.efficientbert.search;

import dev.retort.core.efficientbert.ArchFeatures;
import dev.retort.core.efficientbert.EfficientBertArch;
import java.util.List;

/**
 * A search problem without training: stage 3 (sizes only) of the reference 6L-540 model with the
 * published operators and the 15M-16M budget, scored by a closed-form fitness.
 */
final class SyntheticSearch {
  private SyntheticSearch() {}

  /** Returns the stage-3 space of EfficientBERT with the published operators fixed. */
  static SearchSpace space() {
    EfficientBertArch published = EfficientBertArch.efficientBert();
    return SearchSpace.builder()
        .setDims(published)
        .setStage(SearchStage.SIZES)
        .optBudget(ParamBudget.reference())
        .optSeeds(List.of(published.layerExpressions()))
        .build();
  }

  /**
   * Scores a candidate by the size id of its first layer ({@code 4 (A - 1) + (B - 1)}, 0 to 15):
   * the good region is "a large stack of wide FFNs in layer 1".
   */
  static CandidateEvaluator firstLayerSize(SearchSpace space) {
    return spec -> {
      int id = ArchFeatures.sizeIds(spec.layers())[0];
      return Fitness.ok(id, space.parameters(spec.layers()), 0);
    };
  }
}

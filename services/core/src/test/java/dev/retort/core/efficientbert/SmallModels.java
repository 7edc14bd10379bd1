package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.core.model.BertInput;
import java.util.ArrayList;
import java.util.List;

/** Small EfficientBERT dimensions and inputs shared by the model tests. */
final class SmallModels {
  /** The published per-layer sizes, 4_2 2_1 1_2 2_2 1_2 2_3. */
  static final List<String> PUBLISHED = EfficientBertArch.PUBLISHED_FFN;

  private SmallModels() {}

  /**
   * Returns small dimensions (V 64, E 8, P 32, F 24, 12 heads) with the given expressions.
   *
   * @param hidden H, a multiple of 12
   * @param expressions one per layer
   * @return the architecture
   */
  static EfficientBertArch arch(int hidden, List<String> expressions) {
    List<Expr> exprs = new ArrayList<>();
    expressions.forEach(e -> exprs.add(ExprParser.parse(e)));
    return EfficientBertArch.builder()
        .setHiddenSize(hidden)
        .setLayerExpressions(exprs)
        .optEmbeddingSize(8)
        .optVocabSize(64)
        .optMaxPositions(32)
        .optFitSize(24)
        .build();
  }

  /** Returns the reference options without dropout. */
  static AutoBertOptions noDropout() {
    return AutoBertOptions.reference().withDropout(0f);
  }

  /** Returns a batch of two rows of length 7, the first padded after 5 tokens. */
  static BertInput input(NDManager manager) {
    int[][] ids = {{2, 17, 33, 9, 3, 0, 0}, {2, 40, 11, 3, 25, 63, 3}};
    int[][] types = {{0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 1, 1}};
    int[][] mask = {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}};
    return BertInput.of(manager, ids, types, mask);
  }

  /** Returns the largest absolute difference of two arrays. */
  static float maxDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}

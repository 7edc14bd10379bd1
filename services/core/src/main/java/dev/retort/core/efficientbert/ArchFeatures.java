package dev.retort.core.efficientbert;

import java.util.Arrays;
import java.util.List;

/**
 * Feature vectors of candidate models for the search's learned sampler (reference {@code
 * sample_individual_ids} and {@code sample_individual_ids2}).
 */
public final class ArchFeatures {
  /** The reference's {@code max_pad_len}: ids per layer in stages 1 and 2. */
  public static final int PAD_LENGTH = 20;

  /** The padding id. */
  public static final int PAD = -1;

  private ArchFeatures() {}

  /**
   * Returns the stage-1/2 features: each layer's symbol ids ({@link PrimitiveSet#id}) in prefix
   * order, padded with -1 to {@link #PAD_LENGTH}, layers concatenated.
   *
   * <p>A tree with more than 20 nodes keeps its first 20 ids. The reference would append all of
   * them and shift the following layers' features; truncating keeps the vector length fixed.
   *
   * @param layers one expression per layer
   * @param pset the stage's primitive set, which numbers the symbols
   * @return {@code layers.size() * 20} ids
   */
  public static int[] treeIds(List<Expr> layers, PrimitiveSet pset) {
    int[] out = new int[layers.size() * PAD_LENGTH];
    Arrays.fill(out, PAD);
    for (int layer = 0; layer < layers.size(); layer++) {
      List<Expr> nodes = ExprTrees.prefix(layers.get(layer));
      int n = Math.min(nodes.size(), PAD_LENGTH);
      for (int i = 0; i < n; i++) {
        out[layer * PAD_LENGTH + i] = pset.id(nodes.get(i).symbol());
      }
    }
    return out;
  }

  /**
   * Returns the stage-3 features: each layer's size id {@code 4 (A - 1) + (B - 1)} of its first
   * linear.
   *
   * @param layers one expression per layer, each with a sized linear
   * @return one id in 0..15 per layer
   */
  public static int[] sizeIds(List<Expr> layers) {
    int[] out = new int[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      out[i] = ExprTrees.firstLinearSize(layers.get(i)).id();
    }
    return out;
  }
}

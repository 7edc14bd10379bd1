package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One padded batch as the encoder consumes it.
 *
 * @param inputIds token ids, [B, L], int64
 * @param tokenTypeIds segment ids (0 for the first text, 1 for the second), [B, L], int64
 * @param attentionMask 1 for real tokens and 0 for padding, [B, L], float32
 */
public record BertInput(NDArray inputIds, NDArray tokenTypeIds, NDArray attentionMask) {
  /** What the additive mask adds to a padding key's scores: BERT's -10000. */
  public static final float PADDING_KEY_BIAS = -10000f;

  /** Checks that the three arrays have the same [B, L] shape. */
  public BertInput {
    Shape s = inputIds.getShape();
    if (s.dimension() != 2
        || !s.equals(tokenTypeIds.getShape())
        || !s.equals(attentionMask.getShape())) {
      throw new IllegalArgumentException(
          "input ids, token types and mask must all be [B, L]; got "
              + s
              + ", "
              + tokenTypeIds.getShape()
              + ", "
              + attentionMask.getShape());
    }
  }

  /**
   * Copies Java arrays into {@code manager}.
   *
   * @param manager where the arrays are allocated (usually a per-step sub-manager)
   * @param ids token ids, B rows of equal length L
   * @param types segment ids, B x L
   * @param mask 1 for real tokens, B x L
   * @return the batch
   */
  public static BertInput of(NDManager manager, int[][] ids, int[][] types, int[][] mask) {
    int b = ids.length;
    int l = b == 0 ? 0 : ids[0].length;
    long[] flatIds = new long[b * l];
    long[] flatTypes = new long[b * l];
    float[] flatMask = new float[b * l];
    for (int i = 0; i < b; i++) {
      if (ids[i].length != l || types[i].length != l || mask[i].length != l) {
        throw new IllegalArgumentException("row " + i + " is not of length " + l);
      }
      for (int j = 0; j < l; j++) {
        flatIds[i * l + j] = ids[i][j];
        flatTypes[i * l + j] = types[i][j];
        flatMask[i * l + j] = mask[i][j];
      }
    }
    Shape shape = new Shape(b, l);
    return new BertInput(
        manager.create(flatIds, shape),
        manager.create(flatTypes, shape),
        manager.create(flatMask, shape));
  }

  /** Returns B. */
  public long batchSize() {
    return inputIds.getShape().get(0);
  }

  /** Returns L. */
  public long length() {
    return inputIds.getShape().get(1);
  }

  /**
   * Returns the additive attention mask: 0 for real keys, -10000 for padded keys, as BERT and the
   * BERT-EMD, HRKD and EfficientBERT code compute it.
   *
   * @return the mask, [B, 1, 1, L]
   */
  public NDArray additiveMask() {
    NDArray m = attentionMask.toType(DataType.FLOAT32, false);
    return m.neg().add(1f).mul(PADDING_KEY_BIAS).reshape(batchSize(), 1, 1, length()); // [B, 1, 1, L]
  }
}

package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.retort.core.distill.loss.AttentionScoreMse;
import dev.retort.core.model.BertInput;

/**
 * The key columns of a teacher's attention scores that no loss reads: those after the batch's last
 * real position. In every row they are padding keys, whose scores carry {@link
 * BertInput#PADDING_KEY_BIAS} (-10000), and every loss on scores counts a score at or below {@link
 * AttentionScoreMse#MASK_THRESHOLD} (-100) as 0. So the teacher service may leave them out of its
 * messages, and the trainer puts -10000 back in their place: the losses see the same numbers as
 * with the untrimmed scores. Query rows are never trimmed: the official losses average over every
 * position, padding queries included.
 */
public final class PaddingKeys {
  private PaddingKeys() {}

  /**
   * Returns the number of key columns to keep: 1 + the last position that is real in any row.
   *
   * @param attentionMask 1 real, 0 padding // [B, L]
   * @return between 1 and L (1 for a batch without a real token, so that no tensor is empty)
   */
  public static int keyLength(int[][] attentionMask) {
    int keys = 1;
    for (int[] row : attentionMask) {
      for (int t = row.length - 1; t >= keys; t--) {
        if (row[t] != 0) {
          keys = t + 1;
          break;
        }
      }
    }
    return keys;
  }

  /**
   * Returns the first {@code keys} key columns of scores, a view of the same manager.
   *
   * @param scores pre-softmax scores // [B, A, L, L]
   * @param keys the columns to keep, from {@link #keyLength}
   * @return the scores, or a view // [B, A, L, keys]
   */
  public static NDArray trim(NDArray scores, int keys) {
    long length = scores.getShape().get(3);
    if (keys < 1 || keys > length) {
      throw new IllegalArgumentException("cannot keep " + keys + " of " + length + " key columns");
    }
    return keys == length ? scores : scores.get(new NDIndex(":, :, :, :{}", keys));
  }

  /**
   * Restores trimmed scores to {@code length} key columns, filling the trimmed ones with the
   * padding keys' bias.
   *
   * @param trimmed scores of the first key columns // [B, A, L, K]
   * @param length L
   * @return {@code trimmed} when K = L, else a new array of its manager // [B, A, L, L]
   */
  public static NDArray restore(NDArray trimmed, long length) {
    Shape s = trimmed.getShape();
    long keys = s.get(3);
    if (keys == length) {
      return trimmed;
    }
    if (keys < 1 || keys > length) {
      throw new IllegalArgumentException("scores " + s + " cannot be restored to " + length
          + " key columns");
    }
    try (NDArray pad = trimmed.getManager().full(new Shape(s.get(0), s.get(1), s.get(2),
        length - keys), BertInput.PADDING_KEY_BIAS, trimmed.getDataType())) { // [B, A, L, L-K]
      return trimmed.concat(pad, 3);
    }
  }
}

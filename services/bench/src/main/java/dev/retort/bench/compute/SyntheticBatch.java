package dev.retort.bench.compute;

import dev.retort.core.data.Batch;
import java.util.Random;

/** Batches of random token ids with no padding: every one of the B·L tokens is real. */
public final class SyntheticBatch {
  /** BERT's [CLS] id in the uncased vocabulary. */
  public static final int CLS = 101;

  /** BERT's [SEP] id. */
  public static final int SEP = 102;

  private SyntheticBatch() {}

  /**
   * Builds a batch: {@code [CLS] w_1 … w_{L−2} [SEP]} per row with random word ids in {@code [1000,
   * vocab)}, segment 0, mask 1, random labels.
   *
   * @param batch B
   * @param length L (at least 2)
   * @param vocab the vocabulary size
   * @param classes C
   * @param seed seeds the ids and labels
   * @return the batch, epoch 0, index 0
   */
  public static Batch of(int batch, int length, int vocab, int classes, long seed) {
    if (length < 2 || batch < 1 || vocab <= 1000) {
      throw new IllegalArgumentException("need B >= 1, L >= 2 and a vocabulary above 1000 ids");
    }
    Random r = new Random(seed);
    int[][] ids = new int[batch][length]; // [B, L]
    int[][] segments = new int[batch][length]; // [B, L]
    int[][] mask = new int[batch][length]; // [B, L]
    int[] labels = new int[batch];
    int[] indices = new int[batch];
    for (int b = 0; b < batch; b++) {
      indices[b] = b;
      labels[b] = r.nextInt(classes);
      ids[b][0] = CLS;
      ids[b][length - 1] = SEP;
      for (int t = 1; t < length - 1; t++) {
        ids[b][t] = 1000 + r.nextInt(vocab - 1000);
      }
      java.util.Arrays.fill(mask[b], 1);
    }
    return new Batch(0, 0, indices, ids, segments, mask, labels, null, new int[batch], length);
  }
}

package dev.retort.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One padded batch: B examples, each padded to the batch's bucket length L.
 *
 * <p>The attention mask uses 1 for real tokens and 0 for padding (BERT-EMD's convention; HRKD and
 * EfficientBERT use the inverse, which the model code derives). Arrays are shared; treat them as
 * read-only.
 *
 * @param epoch the epoch this batch belongs to
 * @param index the batch's position within the epoch
 * @param exampleIndices indices into the source {@link EncodedDataset} // [B]
 * @param inputIds token ids, padded with the pad id // [B, L]
 * @param segmentIds segment ids, padded with 0 // [B, L]
 * @param attentionMask 1 real, 0 padding // [B, L]
 * @param labels class ids (-1 unlabelled); null for regression // [B]
 * @param targets regression targets; null for classification // [B]
 * @param domainIds domain ids // [B]
 * @param length the padded length L
 */
public record Batch(
    int epoch,
    int index,
    int[] exampleIndices,
    int[][] inputIds,
    int[][] segmentIds,
    int[][] attentionMask,
    int[] labels,
    float[] targets,
    int[] domainIds,
    int length) {

  /** Returns the number of examples B. */
  public int size() {
    return exampleIndices.length;
  }

  /** Returns the number of real (non-padding) tokens in the batch. */
  public int realTokens() {
    int n = 0;
    for (int[] row : attentionMask) {
      for (int m : row) {
        n += m;
      }
    }
    return n;
  }

  /** {@inheritDoc} */
  @Override
  public boolean equals(Object o) {
    return o instanceof Batch b
        && epoch == b.epoch
        && index == b.index
        && length == b.length
        && Arrays.equals(exampleIndices, b.exampleIndices)
        && Arrays.deepEquals(inputIds, b.inputIds)
        && Arrays.deepEquals(segmentIds, b.segmentIds)
        && Arrays.deepEquals(attentionMask, b.attentionMask)
        && Arrays.equals(labels, b.labels)
        && Arrays.equals(targets, b.targets)
        && Arrays.equals(domainIds, b.domainIds);
  }

  /** {@inheritDoc} */
  @Override
  public int hashCode() {
    return Objects.hash(epoch, index, length, Arrays.hashCode(exampleIndices));
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "Batch[epoch="
        + epoch
        + ", index="
        + index
        + ", B="
        + size()
        + ", L="
        + length
        + ", examples="
        + Arrays.toString(exampleIndices)
        + "]";
  }

  /**
   * Pads the chosen examples of a data set into a batch.
   *
   * @param data the encoded data set
   * @param indices the example indices, in batch order // [B]
   * @param length the padded length L, at least the longest example
   * @param epoch the epoch
   * @param index the position within the epoch
   * @return the batch
   */
  static Batch assemble(EncodedDataset data, int[] indices, int length, int epoch, int index) {
    int b = indices.length;
    int[][] ids = new int[b][];
    int[][] segments = new int[b][];
    int[][] mask = new int[b][];
    int[] labels = data.labels() == null ? null : new int[b];
    float[] targets = data.targets() == null ? null : new float[b];
    int[] domains = new int[b];
    for (int r = 0; r < b; r++) {
      var e = data.inputs().get(indices[r]);
      ids[r] = e.paddedInputIds(length, data.padId());
      segments[r] = e.paddedSegmentIds(length);
      mask[r] = e.attentionMask(length);
      if (labels != null) {
        labels[r] = data.labels()[indices[r]];
      }
      if (targets != null) {
        targets[r] = data.targets()[indices[r]];
      }
      domains[r] = data.domainIds()[indices[r]];
    }
    return new Batch(
        epoch, index, indices.clone(), ids, segments, mask, labels, targets, domains, length);
  }
}

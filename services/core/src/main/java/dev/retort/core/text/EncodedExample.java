package dev.retort.core.text;

import java.util.Arrays;

/**
 * One encoded input: {@code [CLS] A [SEP]} or {@code [CLS] A [SEP] B [SEP]}, without padding.
 *
 * <p>Arrays are shared, not copied; treat them as read-only.
 *
 * @param inputIds token ids, length {@code realLength} // [L]
 * @param segmentIds 0 for [CLS], A and the first [SEP]; 1 for B and the last [SEP] // [L]
 * @param realLength the number of real tokens (no padding is stored)
 */
public record EncodedExample(int[] inputIds, int[] segmentIds, int realLength) {
  /** Validates that both arrays have the real length. */
  public EncodedExample {
    if (inputIds.length != realLength || segmentIds.length != realLength) {
      throw new IllegalArgumentException(
          "inputIds ("
              + inputIds.length
              + ") and segmentIds ("
              + segmentIds.length
              + ") must both have realLength "
              + realLength);
    }
  }

  /**
   * Copies the ids into a padded row.
   *
   * @param length the padded length L, at least {@code realLength}
   * @param padId the id written after the real tokens
   * @return the padded input ids // [L]
   */
  public int[] paddedInputIds(int length, int padId) {
    int[] out = new int[length];
    System.arraycopy(inputIds, 0, out, 0, realLength);
    Arrays.fill(out, realLength, length, padId);
    return out;
  }

  /**
   * Copies the segment ids into a padded row (padding has segment 0).
   *
   * @param length the padded length L
   * @return the padded segment ids // [L]
   */
  public int[] paddedSegmentIds(int length) {
    return Arrays.copyOf(segmentIds, length);
  }

  /**
   * Returns the attention mask of a padded row: 1 for real tokens, 0 for padding.
   *
   * @param length the padded length L
   * @return the mask // [L]
   */
  public int[] attentionMask(int length) {
    int[] out = new int[length];
    Arrays.fill(out, 0, realLength, 1);
    return out;
  }

  /** {@inheritDoc} */
  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedExample e
        && realLength == e.realLength
        && Arrays.equals(inputIds, e.inputIds)
        && Arrays.equals(segmentIds, e.segmentIds);
  }

  /** {@inheritDoc} */
  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(inputIds) + Arrays.hashCode(segmentIds);
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "EncodedExample[inputIds="
        + Arrays.toString(inputIds)
        + ", segmentIds="
        + Arrays.toString(segmentIds)
        + ", realLength="
        + realLength
        + "]";
  }
}

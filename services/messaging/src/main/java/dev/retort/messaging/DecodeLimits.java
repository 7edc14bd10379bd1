package dev.retort.messaging;

/**
 * What {@link TensorCodec} and {@link MatrixCodec} accept when decoding.
 *
 * <p>The element limit is checked against the shape before anything is allocated, so a record
 * that claims a shape of {@code [1e9, 1e9]} costs nothing but its rejection.
 *
 * @param maxElements the largest number of elements a decoded tensor or matrix may have
 * @param requireFinite whether NaN and infinite values are rejected
 */
public record DecodeLimits(long maxElements, boolean requireFinite) {

  /**
   * Default element limit: 2^28 (268 million) elements, 1 GiB as fp32: above any teacher output
   * of a BERT-base batch, below what a 2-core service can hold twice.
   */
  public static final long DEFAULT_MAX_ELEMENTS = 1L << 28;

  /** Checks the limit. */
  public DecodeLimits {
    if (maxElements < 0 || maxElements > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "maxElements must be in [0, " + Integer.MAX_VALUE + "]: " + maxElements);
    }
  }

  /** Returns the default limit, with non-finite values allowed. */
  public static DecodeLimits defaults() {
    return new DecodeLimits(DEFAULT_MAX_ELEMENTS, false);
  }

  /**
   * Returns these limits with another element limit.
   *
   * @param maxElements the largest number of elements
   * @return new limits
   */
  public DecodeLimits withMaxElements(long maxElements) {
    return new DecodeLimits(maxElements, requireFinite);
  }

  /**
   * Returns these limits with finiteness required or not.
   *
   * @param requireFinite whether NaN and infinite values are rejected
   * @return new limits
   */
  public DecodeLimits withRequireFinite(boolean requireFinite) {
    return new DecodeLimits(maxElements, requireFinite);
  }
}

package dev.retort.messaging;

import java.util.Arrays;

/** Shape checks shared by {@link TensorCodec} and {@link MatrixCodec}. */
final class WireChecks {
  private WireChecks() {}

  /**
   * Returns the element count of a shape after checking it.
   *
   * @param name the tensor's name, for errors
   * @param shape the dimensions
   * @param maxElements the largest allowed count
   * @return {@code prod(shape)}
   * @throws BadMessageException if a dimension is negative or above the limit, or the count
   *     exceeds the limit
   */
  static long elementCount(String name, long[] shape, long maxElements) {
    boolean empty = false;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new BadMessageException(name, "dimension " + i + " of shape "
            + Arrays.toString(shape) + " is negative");
      }
      // Each dimension on its own too: an empty [2e9, 0] matrix holds no value but decodes to
      // 2e9 empty rows, gigabytes from a message of a few bytes.
      if (shape[i] > maxElements) {
        throw new BadMessageException(name, "shape " + Arrays.toString(shape)
            + " has more elements than the limit of " + maxElements + " in dimension " + i
            + " alone, even where another dimension is 0");
      }
      empty |= shape[i] == 0;
    }
    if (empty) {
      return 0;
    }
    long n = 1;
    for (long d : shape) {
      if (n > maxElements / d) { // n * d > maxElements, without overflowing
        throw new BadMessageException(name, "shape " + Arrays.toString(shape)
            + " has more elements than the limit of " + maxElements);
      }
      n *= d;
    }
    return n;
  }
}

package dev.retort.core.text;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * The padded sequence lengths a batch may have, so the engine sees few distinct shapes.
 *
 * <p>A batch whose longest example has {@code n} tokens is padded to the smallest bucket {@code >=
 * n}. The largest bucket always equals the maximum sequence length.
 *
 * @param sizes the bucket lengths, strictly increasing; the last is the maximum length
 */
public record LengthBuckets(int[] sizes) {
  /** Validates and copies the sizes. */
  public LengthBuckets {
    if (sizes.length == 0) {
      throw new IllegalArgumentException("at least one bucket is needed");
    }
    sizes = sizes.clone();
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] < 1 || (i > 0 && sizes[i] <= sizes[i - 1])) {
        throw new IllegalArgumentException(
            "bucket sizes must be positive and increasing: " + Arrays.toString(sizes));
      }
    }
  }

  /**
   * Creates buckets from candidate sizes, capped at a maximum length: sizes above {@code maxLength}
   * are dropped and {@code maxLength} itself is added.
   *
   * @param maxLength the maximum sequence length
   * @param candidates candidate sizes, in any order
   * @return the buckets
   */
  public static LengthBuckets of(int maxLength, int... candidates) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be >= 1, got " + maxLength);
    }
    TreeSet<Integer> set = new TreeSet<>();
    for (int c : candidates) {
      if (c >= 1 && c < maxLength) {
        set.add(c);
      }
    }
    set.add(maxLength);
    return new LengthBuckets(set.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Returns the standard buckets 16, 32, 64, 128, 256, 512 capped at {@code maxLength}.
   *
   * @param maxLength the maximum sequence length
   * @return the buckets
   */
  public static LengthBuckets standard(int maxLength) {
    return of(maxLength, 16, 32, 64, 128, 256, 512);
  }

  /**
   * Returns a single bucket: every batch is padded to {@code maxLength}.
   *
   * @param maxLength the maximum sequence length
   * @return the buckets
   */
  public static LengthBuckets fixed(int maxLength) {
    return of(maxLength);
  }

  /** Returns the maximum sequence length (the largest bucket). */
  public int maxLength() {
    return sizes[sizes.length - 1];
  }

  /**
   * Returns the smallest bucket that holds a sequence of the given length.
   *
   * @param length the real length, 0 to {@link #maxLength()}
   * @return the bucket length
   * @throws IllegalArgumentException if the length exceeds the largest bucket
   */
  public int bucketFor(int length) {
    for (int s : sizes) {
      if (s >= length) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "length " + length + " exceeds the largest bucket " + maxLength());
  }

  /** Returns a copy of the sizes. */
  @Override
  public int[] sizes() {
    return sizes.clone();
  }

  /** {@inheritDoc} */
  @Override
  public boolean equals(Object o) {
    return o instanceof LengthBuckets b && Arrays.equals(sizes, b.sizes);
  }

  /** {@inheritDoc} */
  @Override
  public int hashCode() {
    return Arrays.hashCode(sizes);
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "LengthBuckets" + Arrays.toString(sizes);
  }
}

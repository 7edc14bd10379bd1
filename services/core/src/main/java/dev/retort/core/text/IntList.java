package dev.retort.core.text;

import java.util.Arrays;

/** A growable int array, to collect token ids without boxing. */
final class IntList {
  private int[] data = new int[32];
  private int size;

  /** Appends a value. */
  void add(int v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, size * 2);
    }
    data[size++] = v;
  }

  /** Returns the number of values. */
  int size() {
    return size;
  }

  /** Drops the values from {@code newSize} on. */
  void truncate(int newSize) {
    size = newSize;
  }

  /** Returns a copy of the values. */
  int[] toArray() {
    return Arrays.copyOf(data, size);
  }
}

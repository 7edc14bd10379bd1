package dev.retort.core.tensor;

/** Element types a {@link HostTensor} can hold, with their widths in bytes. */
public enum DType {
  /** IEEE 754 binary32. */
  F32(4),
  /** IEEE 754 binary16. */
  F16(2),
  /** bfloat16: the upper half of a binary32. */
  BF16(2),
  /** Signed 64-bit integer. */
  I64(8),
  /** Signed 32-bit integer. */
  I32(4),
  /** Signed 8-bit integer. */
  I8(1),
  /** Unsigned 8-bit integer. */
  U8(1);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Returns the width of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  /** Returns whether this is a floating-point type. */
  public boolean isFloating() {
    return this == F32 || this == F16 || this == BF16;
  }
}

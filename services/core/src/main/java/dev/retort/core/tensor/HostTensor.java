package dev.retort.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor in Java memory: element type, shape and little-endian bytes in row-major (C) order.
 *
 * <p>This is the currency between file formats (TF bundles, ONNX, safetensors, checkpoints), the
 * wire codec and DJL. It never touches native memory; {@code dev.retort.core.model.StateDicts}
 * copies it into NDArrays.
 *
 * @param dtype element type
 * @param shape dimensions, outermost first; {@code []} for a scalar
 * @param data {@code numel * dtype.bytes()} bytes, little-endian, position 0
 */
public record HostTensor(DType dtype, long[] shape, ByteBuffer data) {

  /** Checks that the byte count matches the shape. */
  public HostTensor {
    long n = numel(shape);
    if (n * dtype.bytes() != data.remaining()) {
      throw new IllegalArgumentException(
          "tensor of shape "
              + Arrays.toString(shape)
              + " and type "
              + dtype
              + " needs "
              + n * dtype.bytes()
              + " bytes, got "
              + data.remaining());
    }
    shape = shape.clone();
    data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Returns the product of the dimensions (1 for a scalar). */
  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Returns the number of elements. */
  public long numel() {
    return numel(shape);
  }

  /** Returns a copy of the shape. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Returns the number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Returns dimension {@code i}; negative indices count from the end. */
  public long dim(int i) {
    return shape[i < 0 ? shape.length + i : i];
  }

  /** Returns a read-only little-endian view of the bytes. */
  @Override
  public ByteBuffer data() {
    return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Wraps float values as an F32 tensor (copies). */
  public static HostTensor ofFloats(long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new HostTensor(DType.F32, shape, b);
  }

  /** Wraps long values as an I64 tensor (copies). */
  public static HostTensor ofLongs(long[] shape, long[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return new HostTensor(DType.I64, shape, b);
  }

  /**
   * Returns the values as binary32, widening F16/BF16 and converting integers.
   *
   * @return a new array of {@link #numel()} floats
   */
  public float[] toFloats() {
    int n = Math.toIntExact(numel());
    float[] out = new float[n];
    ByteBuffer b = data();
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = HalfFloats.fromF16(b.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = HalfFloats.fromBf16(b.getShort(2 * i));
        }
      }
      case I64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getLong(8 * i);
        }
      }
      case I32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt(4 * i);
        }
      }
      case I8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i);
        }
      }
      case U8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i) & 0xFF;
        }
      }
    }
    return out;
  }

  /** Returns the values as longs; floating types are truncated toward zero. */
  public long[] toLongs() {
    int n = Math.toIntExact(numel());
    long[] out = new long[n];
    ByteBuffer b = data();
    if (dtype == DType.I64) {
      b.asLongBuffer().get(out);
      return out;
    }
    if (dtype == DType.I32) {
      for (int i = 0; i < n; i++) {
        out[i] = b.getInt(4 * i);
      }
      return out;
    }
    float[] f = toFloats();
    for (int i = 0; i < n; i++) {
      out[i] = (long) f[i];
    }
    return out;
  }

  /** Returns a copy converted to F32. */
  public HostTensor toF32() {
    return dtype == DType.F32 ? this : ofFloats(shape, toFloats());
  }

  /**
   * Returns the transpose of a 2-D tensor (an [in, out] kernel becomes an [out, in] weight).
   *
   * @return a new F32 tensor of shape {@code [shape[1], shape[0]]}
   */
  public HostTensor transpose2d() {
    if (shape.length != 2) {
      throw new IllegalArgumentException("transpose2d needs a 2-D tensor, got " + Arrays.toString(shape));
    }
    int r = (int) shape[0];
    int c = (int) shape[1];
    float[] src = toFloats();
    float[] dst = new float[src.length];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        dst[j * r + i] = src[i * c + j];
      }
    }
    return ofFloats(new long[] {c, r}, dst);
  }

  /** Returns the shape as text, e.g. {@code [768, 3072]}. */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor t
        && t.dtype == dtype
        && Arrays.equals(t.shape, shape)
        && t.data().equals(data());
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + dtype.hashCode();
  }

  @Override
  public String toString() {
    return "HostTensor[" + dtype + " " + shapeString() + "]";
  }
}

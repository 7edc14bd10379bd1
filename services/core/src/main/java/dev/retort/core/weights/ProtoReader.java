package dev.retort.core.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protobuf wire format over a byte buffer, enough to decode the few
 * messages of TensorFlow bundles and ONNX models by hand.
 *
 * <p>Length-delimited fields come back as slices of the underlying buffer, so the tensor bytes of a
 * large model are never copied. Malformed input throws {@link IllegalArgumentException}; callers
 * turn it into a {@link dev.retort.core.RetortException} naming the file.
 */
final class ProtoReader {
  /** Wire type of varint fields. */
  static final int VARINT = 0;

  /** Wire type of 64-bit fixed fields. */
  static final int FIXED64 = 1;

  /** Wire type of length-delimited fields (bytes, strings, messages, packed arrays). */
  static final int LEN = 2;

  /** Wire type of 32-bit fixed fields. */
  static final int FIXED32 = 5;

  private final ByteBuffer buf;
  private int tag;

  /**
   * Creates a reader over the remaining bytes of {@code buf} (which is not modified).
   *
   * @param buf the encoded message
   */
  ProtoReader(ByteBuffer buf) {
    this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Returns whether another field follows. */
  boolean hasNext() {
    return buf.hasRemaining();
  }

  /**
   * Reads the next field's tag.
   *
   * @return the field number
   */
  int next() {
    long t = readVarint();
    if (t >>> 32 != 0 || (t >>> 3) == 0) {
      throw new IllegalArgumentException("invalid field tag " + t + " at byte " + (buf.position()));
    }
    tag = (int) t;
    return tag >>> 3;
  }

  /** Returns the wire type of the field just read by {@link #next()}. */
  int wireType() {
    return tag & 7;
  }

  /** Reads a base-128 varint (up to 10 bytes). */
  long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!buf.hasRemaining()) {
        throw new IllegalArgumentException("truncated varint");
      }
      byte b = buf.get();
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }

  /** Reads a little-endian 32-bit value. */
  int readFixed32() {
    need(4);
    return buf.getInt();
  }

  /** Reads a little-endian 64-bit value. */
  long readFixed64() {
    need(8);
    return buf.getLong();
  }

  /** Reads a length-delimited field as a slice of the underlying buffer (no copy). */
  ByteBuffer readBytes() {
    long len = readVarint();
    if (len < 0 || len > buf.remaining()) {
      throw new IllegalArgumentException(
          "length " + len + " runs past the end (" + buf.remaining() + " bytes left)");
    }
    return readRaw((int) len);
  }

  /**
   * Reads {@code n} raw bytes as a slice (no copy).
   *
   * @param n the number of bytes
   * @return a little-endian slice positioned at 0
   */
  ByteBuffer readRaw(int n) {
    if (n < 0 || n > buf.remaining()) {
      throw new IllegalArgumentException(n + " bytes requested, " + buf.remaining() + " left");
    }
    ByteBuffer out = buf.slice(buf.position(), n).order(ByteOrder.LITTLE_ENDIAN);
    buf.position(buf.position() + n);
    return out;
  }

  /** Reads a length-delimited field as UTF-8 text. */
  String readString() {
    ByteBuffer b = readBytes();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Reads a nested message as a new reader. */
  ProtoReader readMessage() {
    return new ProtoReader(readBytes());
  }

  /** Skips the value of the field just read by {@link #next()}. */
  void skip() {
    switch (wireType()) {
      case VARINT -> readVarint();
      case FIXED64 -> readFixed64();
      case LEN -> readBytes();
      case FIXED32 -> readFixed32();
      default -> throw new IllegalArgumentException("unsupported wire type " + wireType());
    }
  }

  /**
   * Reads a repeated varint field that may be packed or not, appending to {@code out}.
   *
   * @param out where the values go
   */
  void readVarints(LongList out) {
    if (wireType() == LEN) {
      ProtoReader packed = new ProtoReader(readBytes());
      while (packed.hasNext()) {
        out.add(packed.readVarint());
      }
    } else {
      out.add(readVarint());
    }
  }

  private void need(int n) {
    if (buf.remaining() < n) {
      throw new IllegalArgumentException("truncated fixed-width field");
    }
  }

  /** A growable list of longs, for repeated integer fields. */
  static final class LongList {
    private long[] values = new long[8];
    private int size;

    /** Appends a value. */
    void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    /** Returns the number of values. */
    int size() {
      return size;
    }

    /** Returns a copy of the values. */
    long[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}

package dev.retort.core.weights;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A protobuf wire-format encoder for building test inputs (TF bundle entries, ONNX models). */
final class ProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static void varint(ByteArrayOutputStream o, long v) {
    while ((v & ~0x7FL) != 0) {
      o.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
  }

  private void tag(int field, int wire) {
    varint(out, ((long) field << 3) | wire);
  }

  ProtoWriter varint(int field, long v) {
    tag(field, 0);
    varint(out, v);
    return this;
  }

  ProtoWriter fixed32(int field, int v) {
    tag(field, 5);
    byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    out.writeBytes(b);
    return this;
  }

  ProtoWriter bytes(int field, byte[] b) {
    tag(field, 2);
    varint(out, b.length);
    out.writeBytes(b);
    return this;
  }

  ProtoWriter string(int field, String s) {
    return bytes(field, s.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter message(int field, ProtoWriter m) {
    return bytes(field, m.toByteArray());
  }

  ProtoWriter packedVarints(int field, long... v) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    for (long x : v) {
      varint(p, x);
    }
    return bytes(field, p.toByteArray());
  }

  ProtoWriter packedFloats(int field, float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return bytes(field, b.array());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}

package dev.retort.core.weights;

import dev.retort.core.RetortException;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes ONNX {@code TensorProto}s: dims (field 1, packed or not), data_type (2), float_data (4),
 * int32_data (5), int64_data (7), name (8), raw_data (9, little-endian, kept as a slice) and
 * external_data (13, rejected).
 *
 * <p>{@code int32_data} also carries 8- and 16-bit types (one value per element), as the ONNX spec
 * prescribes.
 */
final class OnnxTensors {
  private OnnxTensors() {}

  /** A decoded {@code TensorProto}; {@code tensor} is null for types we cannot hold. */
  record NamedTensor(String name, HostTensor tensor) {}

  static NamedTensor decode(ProtoReader r, String source) {
    ProtoReader.LongList dims = new ProtoReader.LongList();
    ProtoReader.LongList ints = new ProtoReader.LongList();
    ByteBuffer floats = null;
    ByteBuffer raw = null;
    int type = 0;
    String name = "";
    boolean external = false;
    while (r.hasNext()) {
      switch (r.next()) {
        case 1 -> r.readVarints(dims);
        case 2 -> type = (int) r.readVarint();
        case 4 -> floats = appendFloats(floats, r);
        case 5, 7 -> r.readVarints(ints);
        case 8 -> name = r.readString();
        case 9 -> raw = r.readBytes();
        case 13 -> {
          external = true;
          r.skip();
        }
        case 14 -> external |= r.readVarint() == 1;
        default -> r.skip();
      }
    }
    if (external) {
      throw new RetortException(
          source + " tensor '" + name + "'",
          "stores its data in an external file, which is not supported",
          "Export the model with all weights inside the .onnx file (under 2 GiB)");
    }
    DType dt = dtypeOf(type);
    if (dt == null) {
      return new NamedTensor(name, null);
    }
    long[] shape = dims.toArray();
    ByteBuffer data;
    if (raw != null) {
      data = raw;
    } else if (floats != null) {
      data = floats.flip();
    } else {
      data = fromInts(ints.toArray(), dt);
    }
    if (HostTensor.numel(shape) * dt.bytes() != data.remaining()) {
      throw new RetortException(
          source + " tensor '" + name + "'",
          "has "
              + data.remaining()
              + " data bytes but its shape "
              + java.util.Arrays.toString(shape)
              + " of "
              + dt
              + " needs "
              + HostTensor.numel(shape) * dt.bytes(),
          "The model file is corrupt; export it again");
    }
    return new NamedTensor(name, new HostTensor(dt, shape, data.order(ByteOrder.LITTLE_ENDIAN)));
  }

  /** Reads {@code float_data}, packed or one fixed32 at a time, into a growing buffer. */
  private static ByteBuffer appendFloats(ByteBuffer acc, ProtoReader r) {
    ByteBuffer add;
    if (r.wireType() == ProtoReader.LEN) {
      add = r.readBytes();
    } else {
      add = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, r.readFixed32());
    }
    if (acc == null) {
      acc = ByteBuffer.allocate(Math.max(add.remaining(), 64)).order(ByteOrder.LITTLE_ENDIAN);
    }
    if (acc.remaining() < add.remaining()) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(acc.capacity() * 2, acc.position() + add.remaining()));
      acc = bigger.order(ByteOrder.LITTLE_ENDIAN).put(acc.flip());
    }
    return acc.put(add);
  }

  /** Packs {@code int32_data}/{@code int64_data} values into little-endian bytes of type dt. */
  private static ByteBuffer fromInts(long[] v, DType dt) {
    ByteBuffer b = ByteBuffer.allocate(v.length * dt.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      switch (dt) {
        case I64 -> b.putLong(x);
        case I32 -> b.putInt((int) x);
        case F16, BF16 -> b.putShort((short) x);
        case I8, U8 -> b.put((byte) x);
        case F32 -> b.putInt((int) x);
      }
    }
    return b.flip();
  }

  /** Maps ONNX {@code TensorProto.DataType} numbers to ours; null for the others. */
  static DType dtypeOf(int onnxType) {
    return switch (onnxType) {
      case 1 -> DType.F32;
      case 2 -> DType.U8;
      case 3 -> DType.I8;
      case 6 -> DType.I32;
      case 7 -> DType.I64;
      case 10 -> DType.F16;
      case 16 -> DType.BF16;
      default -> null;
    };
  }
}

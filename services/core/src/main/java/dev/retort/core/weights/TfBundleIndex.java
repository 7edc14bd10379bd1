package dev.retort.core.weights;

import dev.retort.core.RetortException;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes the index of a TensorFlow tensor bundle ({@code variables.index}).
 *
 * <p>The index is an {@link SsTable}. Its first entry (empty key) is a {@code BundleHeaderProto}:
 * num_shards (field 1), endianness (2, 0 = little), version (3). Every other entry maps a variable
 * name to a {@code BundleEntryProto}: dtype (field 1, TF {@code DataType}), shape (2, {@code
 * TensorShapeProto} of {@code Dim{size = 1}} in field 2), shard id (3), offset (4), size (5),
 * masked CRC32C of the bytes (6, fixed32) and slices (7, for partitioned variables).
 */
public final class TfBundleIndex {
  private static final int MAX_TENSOR = Integer.MAX_VALUE;

  private TfBundleIndex() {}

  /**
   * One variable of the bundle as described by the index.
   *
   * @param name the TensorFlow variable name, e.g. {@code module/bert/embeddings/LayerNorm/gamma}
   * @param dtype the element type
   * @param shape the dimensions
   * @param shard which data file holds the bytes
   * @param offset byte offset in that file
   * @param size byte length
   * @param maskedCrc32c the stored masked CRC32C of the bytes
   */
  public record Entry(
      String name, DType dtype, long[] shape, int shard, long offset, long size, int maskedCrc32c) {
    /** Returns the number of elements. */
    public long numel() {
      return HostTensor.numel(shape);
    }
  }

  /**
   * Decodes the index alone: the variables' names, types, shapes and locations.
   *
   * @param index the whole index file
   * @param source a name for errors
   * @return the variables in index order (the header entry excluded)
   */
  public static List<Entry> read(ByteBuffer index, String source) {
    List<Entry> out = new ArrayList<>();
    for (SsTable.Entry kv : SsTable.readAll(index, source)) {
      if (kv.key().isEmpty()) {
        checkHeader(kv.value(), source);
        continue;
      }
      try {
        out.add(decodeEntry(kv.key(), kv.value(), source));
      } catch (IllegalArgumentException ex) {
        throw new RetortException(
            source + " tensor '" + kv.key() + "'",
            "malformed BundleEntryProto: " + ex.getMessage(),
            "The index file is corrupt; download the model again");
      }
    }
    return out;
  }

  /**
   * Returns the number of data shards the header announces.
   *
   * @param index the whole index file
   * @param source a name for errors
   * @return num_shards (1 if the header omits it)
   */
  static int numShards(ByteBuffer index, String source) {
    for (SsTable.Entry kv : SsTable.readAll(index, source)) {
      if (kv.key().isEmpty()) {
        return checkHeader(kv.value(), source);
      }
    }
    return 1;
  }

  /** Decodes a {@code BundleHeaderProto}, rejecting big-endian bundles; returns num_shards. */
  private static int checkHeader(ByteBuffer value, String source) {
    ProtoReader r = new ProtoReader(value);
    int shards = 1;
    while (r.hasNext()) {
      switch (r.next()) {
        case 1 -> shards = (int) r.readVarint();
        case 2 -> {
          if (r.readVarint() != 0) {
            throw new RetortException(
                source,
                "the bundle is big-endian",
                "Re-save the checkpoint on a little-endian host");
          }
        }
        default -> r.skip();
      }
    }
    return shards;
  }

  private static Entry decodeEntry(String name, ByteBuffer value, String source) {
    ProtoReader r = new ProtoReader(value);
    int dtype = 0;
    long[] shape = new long[0];
    int shard = 0;
    long offset = 0;
    long size = 0;
    int crc = 0;
    while (r.hasNext()) {
      switch (r.next()) {
        case 1 -> dtype = (int) r.readVarint();
        case 2 -> shape = decodeShape(r.readMessage());
        case 3 -> shard = (int) r.readVarint();
        case 4 -> offset = r.readVarint();
        case 5 -> size = r.readVarint();
        case 6 -> crc = r.readFixed32();
        case 7 ->
            throw new RetortException(
                source + " tensor '" + name + "'",
                "is a partitioned (sliced) variable, which is not supported",
                "Re-save the checkpoint with unpartitioned variables");
        default -> r.skip();
      }
    }
    DType dt = dtypeOf(dtype, source + " tensor '" + name + "'");
    if (HostTensor.numel(shape) * dt.bytes() != size) {
      throw new RetortException(
          source + " tensor '" + name + "'",
          "shape "
              + Arrays.toString(shape)
              + " of "
              + dt
              + " needs "
              + HostTensor.numel(shape) * dt.bytes()
              + " bytes but the index says "
              + size,
          "The index file is corrupt; download the model again");
    }
    if (size > MAX_TENSOR) {
      throw new RetortException(
          source + " tensor '" + name + "'", "is larger than 2 GiB", "Use a smaller model");
    }
    return new Entry(name, dt, shape, shard, offset, size, crc);
  }

  /** Decodes a {@code TensorShapeProto}: repeated {@code dim} (2) of {@code Dim{size = 1}}. */
  private static long[] decodeShape(ProtoReader r) {
    ProtoReader.LongList dims = new ProtoReader.LongList();
    while (r.hasNext()) {
      int f = r.next();
      if (f == 2) {
        ProtoReader d = r.readMessage();
        long sz = 0;
        while (d.hasNext()) {
          if (d.next() == 1) {
            sz = d.readVarint();
          } else {
            d.skip();
          }
        }
        dims.add(sz);
      } else if (f == 3 && r.wireType() == ProtoReader.VARINT && r.readVarint() != 0) {
        throw new IllegalArgumentException("unknown rank");
      } else if (f != 3) {
        r.skip();
      }
    }
    return dims.toArray();
  }

  /** Maps TensorFlow's {@code DataType} enum to ours. */
  static DType dtypeOf(int tfType, String where) {
    return switch (tfType) {
      case 1 -> DType.F32;
      case 3 -> DType.I32;
      case 4 -> DType.U8;
      case 6 -> DType.I8;
      case 9 -> DType.I64;
      case 14 -> DType.BF16;
      case 19 -> DType.F16;
      default ->
          throw new RetortException(
              where,
              "has TensorFlow data type " + tfType + ", which is not supported",
              "Only float32/16, bfloat16, int64/32/8 and uint8 variables can be read");
    };
  }

  /** Returns the TensorFlow {@code DataType} number of a type (for writers and tests). */
  static int tfTypeOf(DType t) {
    return switch (t) {
      case F32 -> 1;
      case I32 -> 3;
      case U8 -> 4;
      case I8 -> 6;
      case I64 -> 9;
      case BF16 -> 14;
      case F16 -> 19;
    };
  }
}

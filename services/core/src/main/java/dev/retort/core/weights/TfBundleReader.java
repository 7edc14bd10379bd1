package dev.retort.core.weights;

import dev.retort.core.RetortException;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a TensorFlow tensor bundle (the {@code variables/} folder of a SavedModel, or a V2
 * checkpoint) without TensorFlow.
 *
 * <p>{@code PREFIX.index} is an {@link SsTable} whose first entry (empty key) is a {@code
 * BundleHeaderProto} and whose other entries map each variable name to a {@code BundleEntryProto}:
 * dtype (field 1), shape (2), shard id (3), offset (4), size (5) and the masked CRC32C of the
 * tensor bytes (6, fixed32). The bytes live in {@code PREFIX.data-SSSSS-of-NNNNN}, row-major and
 * little-endian. Every block checksum and every tensor checksum is verified; the first mismatch is
 * reported with the tensor's name.
 */
public final class TfBundleReader {
  private static final int MAX_SHARD = Integer.MAX_VALUE;

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

  private TfBundleReader() {}

  /**
   * Reads a bundle from disk, memory-mapping the data files.
   *
   * @param path a SavedModel directory, its {@code variables/} directory, a {@code .index} file or
   *     a checkpoint prefix
   * @return raw TensorFlow names to tensors, in index order
   * @throws RetortException if a file is missing or corrupt, or a checksum does not match
   */
  public static StateDict read(Path path) {
    Path prefix = prefixOf(path);
    Path indexFile = Path.of(prefix + ".index");
    try {
      ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(indexFile));
      int shards = numShards(index, indexFile.toString());
      List<ByteBuffer> data = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        data.add(map(Path.of(prefix + shardSuffix(s, shards))));
      }
      return read(index, data, prefix.toString());
    } catch (IOException e) {
      throw new RetortException(
          indexFile.toString(),
          "cannot read the bundle: " + e,
          "Check the path and permissions",
          e);
    }
  }

  /**
   * Reads a single-shard bundle from two streams (for instance entries of a zip file).
   *
   * @param index the {@code variables.index} bytes
   * @param data the {@code variables.data-00000-of-00001} bytes
   * @param source a name for errors
   * @return raw TensorFlow names to tensors, in index order
   * @throws IOException if a stream cannot be read
   */
  public static StateDict read(InputStream index, InputStream data, String source)
      throws IOException {
    ByteBuffer idx = ByteBuffer.wrap(index.readAllBytes());
    ByteBuffer dat = ByteBuffer.wrap(data.readAllBytes());
    return read(idx, List.of(dat), source);
  }

  /**
   * Reads a bundle held in memory; tensors are slices of the shard buffers (no copy).
   *
   * @param index the whole index file
   * @param shards the data files, by shard number
   * @param source a name for errors
   * @return raw TensorFlow names to tensors, in index order
   */
  public static StateDict read(ByteBuffer index, List<ByteBuffer> shards, String source) {
    StateDict out = new StateDict(source);
    for (Entry e : readIndex(index, source)) {
      String where = source + " tensor '" + e.name() + "'";
      if (e.shard() >= shards.size()) {
        throw new RetortException(
            where,
            "lives in shard " + e.shard() + " but only " + shards.size() + " were given",
            "Provide every variables.data-* file");
      }
      ByteBuffer shard = shards.get(e.shard());
      if (e.offset() < 0 || e.offset() + e.size() > shard.remaining()) {
        throw new RetortException(
            where,
            "bytes ["
                + e.offset()
                + ", "
                + (e.offset() + e.size())
                + ") lie outside the data file of "
                + shard.remaining()
                + " bytes",
            "The data file is truncated; download the model again");
      }
      ByteBuffer bytes = shard.slice(shard.position() + (int) e.offset(), (int) e.size());
      int crc = Crc32c.masked(bytes);
      if (crc != e.maskedCrc32c()) {
        throw new RetortException(
            where,
            String.format(
                Locale.ROOT,
                "checksum mismatch (stored masked CRC32C 0x%08x, computed 0x%08x)",
                e.maskedCrc32c(),
                crc),
            "The data file is corrupt; download the model again");
      }
      out.put(e.name(), new HostTensor(e.dtype(), e.shape(), bytes.order(ByteOrder.LITTLE_ENDIAN)));
    }
    return out;
  }

  /**
   * Decodes the index alone: the variables' names, types, shapes and locations.
   *
   * @param index the whole index file
   * @param source a name for errors
   * @return the variables in index order (the header entry excluded)
   */
  public static List<Entry> readIndex(ByteBuffer index, String source) {
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

  private static int numShards(ByteBuffer index, String source) {
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
    if (size > MAX_SHARD) {
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

  private static String shardSuffix(int shard, int shards) {
    return String.format(Locale.ROOT, ".data-%05d-of-%05d", shard, shards);
  }

  private static Path prefixOf(Path path) {
    String p = path.toString();
    if (Files.isDirectory(path)) {
      if (Files.exists(path.resolve("variables.index"))) {
        return path.resolve("variables");
      }
      if (Files.exists(path.resolve("variables/variables.index"))) {
        return path.resolve("variables/variables");
      }
      throw new RetortException(
          p,
          "no variables.index in this directory or its variables/ folder",
          "Point at a SavedModel directory, its variables/ folder or a checkpoint prefix");
    }
    if (p.endsWith(".index")) {
      return Path.of(p.substring(0, p.length() - ".index".length()));
    }
    if (!Files.exists(Path.of(p + ".index"))) {
      throw new RetortException(
          p,
          "neither a bundle directory nor a checkpoint prefix with a .index file",
          "Point at a SavedModel directory, its variables/ folder or a checkpoint prefix");
    }
    return path;
  }

  private static ByteBuffer map(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new RetortException(
          file.toString(),
          "data file is missing",
          "Copy every variables.data-* file next to the index");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() > MAX_SHARD) {
        throw new RetortException(
            file.toString(),
            "data shards over 2 GiB are not supported",
            "Re-save with more shards");
      }
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
    }
  }
}

package dev.retort.core.weights;

import dev.retort.core.RetortException;
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
import java.util.List;
import java.util.Locale;

/**
 * Reads a TensorFlow tensor bundle (the {@code variables/} folder of a SavedModel, or a V2
 * checkpoint) without TensorFlow.
 *
 * <p>{@code PREFIX.index} describes every variable (see {@link TfBundleIndex}); the bytes live in
 * {@code PREFIX.data-SSSSS-of-NNNNN}, row-major and little-endian. Every block checksum and every
 * tensor checksum is verified; the first mismatch is reported with the tensor's name.
 */
public final class TfBundleReader {
  private static final int MAX_SHARD = Integer.MAX_VALUE;

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
      int shards = TfBundleIndex.numShards(index, indexFile.toString());
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
    for (TfBundleIndex.Entry e : TfBundleIndex.read(index, source)) {
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
  public static List<TfBundleIndex.Entry> readIndex(ByteBuffer index, String source) {
    return TfBundleIndex.read(index, source);
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

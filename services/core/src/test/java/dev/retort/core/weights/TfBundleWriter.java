package dev.retort.core.weights;

import dev.retort.core.tensor.HostTensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes TensorFlow tensor bundles for tests: an SSTable index with prefix-compressed keys, restart
 * points every 16 entries, several data blocks, masked-CRC trailers and the footer; and one data
 * shard.
 */
final class TfBundleWriter {
  private final int entriesPerBlock;

  /** Creates a writer that starts a new data block after {@code entriesPerBlock} entries. */
  TfBundleWriter(int entriesPerBlock) {
    this.entriesPerBlock = entriesPerBlock;
  }

  /** Writes {@code prefix.index} and {@code prefix.data-00000-of-00001}. */
  void write(Path prefix, Map<String, HostTensor> tensors) throws IOException {
    Map<String, HostTensor> sorted = new TreeMap<>(tensors);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    TreeMap<String, byte[]> entries = new TreeMap<>();
    entries.put(
        "",
        new ProtoWriter().varint(1, 1).message(3, new ProtoWriter().varint(1, 1)).toByteArray());
    for (var e : sorted.entrySet()) {
      HostTensor t = e.getValue();
      ByteBuffer bytes = t.data();
      byte[] b = new byte[bytes.remaining()];
      bytes.get(b);
      ProtoWriter shape = new ProtoWriter();
      for (long d : t.shape()) {
        shape.message(2, new ProtoWriter().varint(1, d));
      }
      ProtoWriter entry =
          new ProtoWriter().varint(1, TfBundleIndex.tfTypeOf(t.dtype())).message(2, shape);
      if (data.size() > 0) {
        entry.varint(4, data.size());
      }
      entry.varint(5, b.length).fixed32(6, Crc32c.masked(ByteBuffer.wrap(b)));
      entries.put(e.getKey(), entry.toByteArray());
      data.writeBytes(b);
    }
    Files.write(Path.of(prefix + ".index"), table(entries));
    Files.write(Path.of(prefix + ".data-00000-of-00001"), data.toByteArray());
  }

  /** Builds the SSTable bytes for sorted entries. */
  byte[] table(TreeMap<String, byte[]> entries) {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    List<String> keys = new ArrayList<>(entries.keySet());
    TreeMap<String, byte[]> index = new TreeMap<>();
    for (int start = 0; start < keys.size(); start += entriesPerBlock) {
      List<String> blockKeys = keys.subList(start, Math.min(keys.size(), start + entriesPerBlock));
      TreeMap<String, byte[]> block = new TreeMap<>();
      blockKeys.forEach(k -> block.put(k, entries.get(k)));
      long offset = file.size();
      byte[] contents = block(block);
      writeBlock(file, contents);
      ByteArrayOutputStream handle = new ByteArrayOutputStream();
      ProtoWriter.varint(handle, offset);
      ProtoWriter.varint(handle, contents.length);
      index.put(blockKeys.get(blockKeys.size() - 1), handle.toByteArray());
    }
    long metaOffset = file.size();
    byte[] meta = block(new TreeMap<>());
    writeBlock(file, meta);
    long indexOffset = file.size();
    byte[] idx = block(index);
    writeBlock(file, idx);
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    ProtoWriter.varint(footer, metaOffset);
    ProtoWriter.varint(footer, meta.length);
    ProtoWriter.varint(footer, indexOffset);
    ProtoWriter.varint(footer, idx.length);
    while (footer.size() < 40) {
      footer.write(0);
    }
    footer.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SsTable.MAGIC).array());
    file.writeBytes(footer.toByteArray());
    return file.toByteArray();
  }

  private static byte[] block(TreeMap<String, byte[]> kv) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    List<Integer> restarts = new ArrayList<>();
    byte[] prev = new byte[0];
    int n = 0;
    for (var e : kv.entrySet()) {
      byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
      int shared = 0;
      if (n % 16 == 0) {
        restarts.add(b.size());
      } else {
        while (shared < prev.length && shared < key.length && prev[shared] == key[shared]) {
          shared++;
        }
      }
      ProtoWriter.varint(b, shared);
      ProtoWriter.varint(b, key.length - shared);
      ProtoWriter.varint(b, e.getValue().length);
      b.write(key, shared, key.length - shared);
      b.writeBytes(e.getValue());
      prev = key;
      n++;
    }
    if (restarts.isEmpty()) {
      restarts.add(0);
    }
    ByteBuffer tail = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
    restarts.forEach(tail::putInt);
    tail.putInt(restarts.size());
    b.writeBytes(tail.array());
    return b.toByteArray();
  }

  private static void writeBlock(ByteArrayOutputStream file, byte[] contents) {
    file.writeBytes(contents);
    CRC32C crc = new CRC32C();
    crc.update(contents);
    crc.update(0);
    file.write(0);
    file.writeBytes(
        ByteBuffer.allocate(4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(Crc32c.mask((int) crc.getValue()))
            .array());
  }
}

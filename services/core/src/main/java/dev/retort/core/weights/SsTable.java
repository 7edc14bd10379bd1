package dev.retort.core.weights;

import dev.retort.core.RetortException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A reader of LevelDB-style sorted string tables, the format of TensorFlow's {@code
 * variables.index}.
 *
 * <p>Layout: data blocks, a metaindex block, an index block, then a 48-byte footer holding the
 * metaindex and index {@code BlockHandle}s ({@code varint64 offset, varint64 size}, zero-padded to
 * 40 bytes) and the magic {@code 0xdb4775248b80fb57}. Each block is followed by a 5-byte trailer:
 * one compression byte (only 0, none, is supported) and the masked CRC32C of the block contents
 * plus that byte. A block is a run of prefix-compressed entries ({@code varint32 shared, varint32
 * unshared, varint32 valueLength, key suffix, value}) followed by a restart array that a sequential
 * reader does not need.
 */
final class SsTable {
  /** The table magic number, stored little-endian in the last 8 bytes. */
  static final long MAGIC = 0xdb4775248b80fb57L;

  /** Size of the footer in bytes. */
  static final int FOOTER = 48;

  /** One key/value pair; the value is a slice of the table bytes. */
  record Entry(String key, ByteBuffer value) {}

  private SsTable() {}

  /**
   * Reads every entry of every data block, in key order, verifying each block checksum.
   *
   * @param table the whole table file
   * @param source the file name, for errors
   * @return the entries in file order
   * @throws RetortException if the table is malformed or a checksum does not match
   */
  static List<Entry> readAll(ByteBuffer table, String source) {
    ByteBuffer t = table.slice().order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (t.remaining() < FOOTER) {
        throw corrupt(
            source, "file is " + t.remaining() + " bytes, shorter than the 48-byte footer");
      }
      if (t.getLong(t.limit() - 8) != MAGIC) {
        throw corrupt(source, "bad table magic number (not a TensorFlow index / LevelDB table)");
      }
      ProtoReader footer = new ProtoReader(t.slice(t.limit() - FOOTER, FOOTER - 8));
      footer.readVarint(); // metaindex offset: unused
      footer.readVarint(); // metaindex size
      long indexOffset = footer.readVarint();
      long indexSize = footer.readVarint();
      ByteBuffer index = block(t, indexOffset, indexSize, source, "index block");
      List<Entry> out = new ArrayList<>();
      for (Entry handle : entries(index)) {
        ProtoReader h = new ProtoReader(handle.value());
        long off = h.readVarint();
        long size = h.readVarint();
        out.addAll(entries(block(t, off, size, source, "data block at " + off)));
      }
      return out;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw corrupt(source, "malformed table: " + e.getMessage());
    }
  }

  private static ByteBuffer block(ByteBuffer t, long off, long size, String source, String what) {
    if (off < 0 || size < 0 || off + size + 5 > t.limit() - FOOTER) {
      throw corrupt(source, what + " (" + off + ", " + size + ") lies outside the file");
    }
    ByteBuffer contents = t.slice((int) off, (int) size);
    byte type = t.get((int) (off + size));
    int stored = t.getInt((int) (off + size + 1));
    CRC32C crc = new CRC32C();
    crc.update(contents.duplicate());
    crc.update(type);
    if (Crc32c.mask((int) crc.getValue()) != stored) {
      throw new RetortException(
          source,
          "checksum mismatch in " + what + ": the index file is corrupt",
          "Download the model again");
    }
    if (type != 0) {
      throw new RetortException(
          source,
          what + " is compressed (type " + type + "); only uncompressed tables are supported",
          "Re-save the checkpoint without snappy compression");
    }
    return contents.order(ByteOrder.LITTLE_ENDIAN);
  }

  private static List<Entry> entries(ByteBuffer block) {
    int n = block.remaining();
    if (n < 4) {
      throw new IllegalArgumentException("block of " + n + " bytes has no restart count");
    }
    int restarts = block.getInt(n - 4);
    int end = n - 4 - 4 * restarts;
    if (restarts < 0 || end < 0) {
      throw new IllegalArgumentException("bad restart count " + restarts);
    }
    ProtoReader r = new ProtoReader(block.slice(0, end));
    List<Entry> out = new ArrayList<>();
    byte[] key = new byte[0];
    while (r.hasNext()) {
      int shared = (int) r.readVarint();
      int unshared = (int) r.readVarint();
      int valueLen = (int) r.readVarint();
      if (shared > key.length) {
        throw new IllegalArgumentException("shared key length " + shared + " > " + key.length);
      }
      ByteBuffer rest = r.readRaw(unshared + valueLen);
      byte[] next = new byte[shared + unshared];
      System.arraycopy(key, 0, next, 0, shared);
      rest.get(next, shared, unshared);
      key = next;
      ByteBuffer value = rest.slice().order(ByteOrder.LITTLE_ENDIAN);
      out.add(new Entry(new String(key, StandardCharsets.UTF_8), value));
    }
    return out;
  }

  private static RetortException corrupt(String source, String what) {
    return new RetortException(
        source, what, "Check that this is a TensorFlow variables.index file");
  }
}

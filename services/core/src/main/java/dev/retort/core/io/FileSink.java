package dev.retort.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Where the files of a directory go as they are written: a real directory ({@link DirectorySink})
 * or a digest of their content that stores nothing ({@link DigestSink}). Writers that produce a
 * model directory write to a sink, so that the content can be named by its digest before a byte
 * reaches the disk.
 */
public interface FileSink {

  /** Produces one file's bytes. */
  @FunctionalInterface
  interface Content {
    /**
     * Writes the bytes.
     *
     * @param ch where they go (not to be closed)
     * @throws IOException if writing fails
     */
    void writeTo(WritableByteChannel ch) throws IOException;
  }

  /**
   * Writes one file of the directory. The file exists only if {@code content} returns normally:
   * a writer that fails half-way leaves no file, and no digest entry.
   *
   * @param name the file's name in the directory, e.g. {@code model.safetensors}
   * @param content produces the bytes
   * @throws IOException if writing fails
   */
  void write(String name, Content content) throws IOException;

  /**
   * Returns whether the files are kept somewhere (false for a sink that only digests them).
   *
   * @return true unless the bytes are dropped
   */
  default boolean stores() {
    return true;
  }

  /**
   * Writes a whole file.
   *
   * @param name the file's name
   * @param bytes its bytes
   * @throws IOException if writing fails
   */
  default void writeBytes(String name, byte[] bytes) throws IOException {
    write(name, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
  }

  /**
   * Writes a whole file as UTF-8 text.
   *
   * @param name the file's name
   * @param text its text
   * @throws IOException if writing fails
   */
  default void writeString(String name, String text) throws IOException {
    writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes a buffer's remaining bytes, however many calls the channel needs.
   *
   * @param ch the channel
   * @param b the bytes; its position ends at its limit
   * @throws IOException if writing fails
   */
  static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}

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

  /**
   * Opens one file of the directory. The file is complete when the channel is closed; until then
   * no reader sees it.
   *
   * @param name the file's name in the directory, e.g. {@code model.safetensors}
   * @return a channel to write its bytes to
   * @throws IOException if the file cannot be created
   */
  WritableByteChannel open(String name) throws IOException;

  /**
   * Writes a whole file.
   *
   * @param name the file's name
   * @param content its bytes
   * @throws IOException if writing fails
   */
  default void writeBytes(String name, byte[] content) throws IOException {
    try (WritableByteChannel ch = open(name)) {
      writeFully(ch, ByteBuffer.wrap(content));
    }
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

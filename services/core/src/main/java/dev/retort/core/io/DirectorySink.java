package dev.retort.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files into a directory (created when the first file is opened). Each file goes to a
 * temporary sibling ({@code <name>…part}), is forced to disk and then renamed over its name, so
 * that a reader sees the old file or the new one, never a part, and a crash leaves no half file.
 *
 * @param dir the directory
 */
public record DirectorySink(Path dir) implements FileSink {

  /** {@inheritDoc} */
  @Override
  public WritableByteChannel open(String name) throws IOException {
    Path file = dir.resolve(name);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".part");
    FileChannel ch;
    try {
      ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return new AtomicChannel(ch, tmp, file);
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return dir.toString();
  }

  /** A temporary file that becomes the real one when closed. */
  private static final class AtomicChannel implements WritableByteChannel {
    private final FileChannel ch;
    private final Path tmp;
    private final Path file;

    AtomicChannel(FileChannel ch, Path tmp, Path file) {
      this.ch = ch;
      this.tmp = tmp;
      this.file = file;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return ch.write(src);
    }

    @Override
    public boolean isOpen() {
      return ch.isOpen();
    }

    @Override
    public void close() throws IOException {
      if (!ch.isOpen()) {
        return;
      }
      try {
        try (ch) {
          ch.force(true); // on disk before the rename makes it visible
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}

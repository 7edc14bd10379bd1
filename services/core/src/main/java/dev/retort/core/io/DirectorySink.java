package dev.retort.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files into a directory (created with the first file). Each file goes to a temporary
 * sibling ({@code <name>…part}), optionally forced to disk, and is then renamed over its name, so
 * that a reader sees the old file or the new one, never a part, and a failed writer leaves no half
 * file. Forced, a crash leaves none either.
 *
 * @param dir the directory
 * @param force whether each file reaches the disk before it is renamed (model weights, which are
 *     written rarely and read by other processes); small state files written per step skip it
 */
public record DirectorySink(Path dir, boolean force) implements FileSink {

  /**
   * Creates a sink that forces every file to disk.
   *
   * @param dir the directory
   */
  public DirectorySink(Path dir) {
    this(dir, true);
  }

  /** {@inheritDoc} */
  @Override
  public void write(String name, Content content) throws IOException {
    Path file = dir.resolve(name);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".part");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        content.writeTo(ch);
        if (force) {
          ch.force(true); // on disk before the rename makes it visible
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return dir.toString();
  }
}

package dev.retort.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes that readers never see half done, and removal of whole directories: the artifact store
 * is shared by processes that read while others write.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces a file's content atomically: readers see the old or the new file, never a part. The
   * content goes to a temporary file beside it ({@code <name>…part}), which is renamed over it.
   *
   * @param file the file (its directory is created)
   * @param content the new content
   * @throws IOException if writing fails (the old file, if any, is kept)
   */
  public static void write(Path file, byte[] content) throws IOException {
    // Not forced to disk: the loss service replaces a file per training step.
    new DirectorySink(file.toAbsolutePath().getParent(), false)
        .writeBytes(file.getFileName().toString(), content);
  }

  /**
   * Replaces a file's content atomically with UTF-8 text; see {@link #write(Path, byte[])}.
   *
   * @param file the file
   * @param text the new content
   * @throws IOException if writing fails
   */
  public static void writeString(Path file, String text) throws IOException {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deletes a directory and everything under it, deepest first; nothing when it does not exist.
   *
   * @param dir the directory (or a plain file)
   * @throws IOException if an entry cannot be deleted
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

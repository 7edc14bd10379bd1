package dev.retort.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the last lines of a log file, for error messages about processes that failed to start. */
public final class LogTail {
  /** How many bytes from the end of the file are read at most. */
  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  /**
   * Returns the last {@code lines} lines of a file, or a note when it cannot be read.
   *
   * @param file the log file
   * @param lines how many lines at most
   * @return the lines joined with newlines, each indented by two spaces
   */
  public static String of(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "  (no log file at " + file + ")";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, MAX_BYTES);
      byte[] bytes = new byte[size];
      raf.seek(length - size);
      raf.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"));
      if (size < length && !all.isEmpty()) {
        all = all.subList(1, all.size()); // the first line was cut by the byte window
      }
      List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
      if (tail.isEmpty()) {
        return "  (log file " + file + " is empty)";
      }
      return "  " + String.join("\n  ", tail);
    } catch (IOException e) {
      return "  (cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Returns the "fix" part of an error about a process that failed: where its whole log is, and
   * its last lines.
   *
   * @param file the log file
   * @param lines how many lines to show
   * @return the text, ending with an end marker
   */
  public static String readLogHint(Path file, int lines) {
    return "Read the whole log at " + file + "; its last lines are:\n" + of(file, lines)
        + "\n  (end of log)";
  }
}

package dev.retort.bench.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The resident set of this process from Linux's {@code /proc/self/status}: {@code VmRSS} (now) and
 * {@code VmHWM} (the peak so far), in KiB.
 *
 * @param rssKib the resident set now
 * @param hwmKib the largest resident set so far
 */
public record ProcStatus(long rssKib, long hwmKib) {
  /** Where Linux keeps it. */
  public static final Path SELF = Path.of("/proc/self/status");

  /**
   * Reads this process's status.
   *
   * @return the numbers, or empty where there is no {@code /proc} (not Linux)
   */
  public static Optional<ProcStatus> read() {
    if (!Files.isReadable(SELF)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(Files.readString(SELF)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses the text of a status file.
   *
   * @param text lines such as {@code VmRSS: 123456 kB}
   * @return the numbers
   * @throws IllegalArgumentException if either line is missing or not in kB
   */
  public static ProcStatus parse(String text) {
    return new ProcStatus(field(text, "VmRSS"), field(text, "VmHWM"));
  }

  private static long field(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + ":")) {
        String[] parts = line.substring(name.length() + 1).trim().split("\\s+");
        if (parts.length != 2 || !parts[1].equals("kB")) {
          throw new IllegalArgumentException("unexpected " + name + " line: " + line);
        }
        return Long.parseLong(parts[0]);
      }
    }
    throw new IllegalArgumentException("no " + name + " line in the status");
  }
}

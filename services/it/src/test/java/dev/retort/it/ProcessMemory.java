package dev.retort.it;

import dev.retort.cli.platform.LocalPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of a platform process, from Linux's {@code /proc/<pid>/status}: {@code VmRSS}
 * (now) and {@code VmHWM} (the peak since the process started, kept by the kernel, so no sample
 * can miss it).
 */
record ProcessMemory(long rssBytes, long peakBytes) {

  /** Reads the memory of the named process of the platform's stack ({@code trainer}, {@code kafka}, ...). */
  static ProcessMemory of(LocalPlatform platform, String name) {
    long pid = platform.stack().get(name).processHandle()
        .orElseThrow(() -> new AssertionError(name + " is not running")).pid();
    try {
      long rss = -1;
      long hwm = -1;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kib(line);
        }
      }
      return new ProcessMemory(rss, hwm);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/status of " + name, e);
    }
  }

  /** Returns the peak in MiB. */
  long peakMiB() {
    return peakBytes >> 20;
  }

  private static long kib(String line) {
    // "VmHWM:\t  123456 kB"
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]) * 1024;
  }
}

package dev.retort.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeHeapTest {
  private static final long MB = 1024 * 1024;

  @Test
  void trimmingReturnsBlocksFreedIntoAnArenaToTheSystem() throws IOException {
    assumeTrue(NativeHeap.available(), "no malloc_trim in this C library");
    // Freeing an mmap'd 8 MB block raises glibc's mmap threshold to 8 MB, so that the 4 MB blocks
    // below come from an arena, as libtorch's tensors of a few MB do once the service has run.
    Native.free(Native.malloc(8 * MB));
    int blocks = 48;
    long[] p = new long[blocks];
    for (int k = 0; k < blocks; k++) {
      p[k] = Native.malloc(4 * MB);
      assertThat(p[k]).isNotZero();
      new Pointer(p[k]).setMemory(0, 4 * MB, (byte) 1); // resident
    }
    // Keep the last block: the arena cannot shrink from its top, the freed 188 MB lie below it.
    for (int k = 0; k < blocks - 1; k++) {
      Native.free(p[k]);
    }
    long before = residentBytes();
    boolean released = NativeHeap.trim();
    long after = residentBytes();
    Native.free(p[blocks - 1]);

    assertThat(released).isTrue();
    assertThat(before - after).isGreaterThan(100 * MB);
  }

  private static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}

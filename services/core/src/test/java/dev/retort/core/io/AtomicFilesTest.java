package dev.retort.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writeCreatesTheDirectoryReplacesTheContentAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("a/b/state.json");
    AtomicFiles.writeString(file, "first");
    AtomicFiles.writeString(file, "second");
    assertThat(file).hasContent("second");
    try (Stream<Path> s = Files.list(file.getParent())) {
      assertThat(s.toList()).containsExactly(file);
    }
  }

  @Test
  void deleteTreeRemovesEverythingBelowAndIgnoresAMissingDirectory() throws IOException {
    Path root = dir.resolve("run");
    AtomicFiles.writeString(root.resolve("x/y/z.txt"), "z");
    AtomicFiles.writeString(root.resolve("top.txt"), "t");
    AtomicFiles.deleteTree(root);
    assertThat(root).doesNotExist();
    AtomicFiles.deleteTree(root); // nothing there: no error
  }
}

package dev.retort.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every path a job names stays inside the configured roots. */
class PathPolicyTest {

  @Test
  void relativePathsResolveInsideTheFirstRoot(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store"));
    PathPolicy p = new PathPolicy(root, List.of(root), List.of(root));
    assertThat(p.data("data/sst2", "task.dir")).isEqualTo(root.resolve("data/sst2").toAbsolutePath());
    assertThat(p.output("jobs/a", "output.dir")).startsWithRaw(root.toAbsolutePath());
  }

  @Test
  void dotDotIsRejectedWithTheKeyNamed(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store"));
    PathPolicy p = new PathPolicy(root, List.of(root), List.of(root));
    assertThatThrownBy(() -> p.data("data/../../etc/passwd", "task.dir"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("task.dir")
        .hasMessageContaining("'..'");
  }

  @Test
  void absolutePathsElsewhereAreRejected(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store"));
    PathPolicy p = new PathPolicy(root, List.of(root), List.of(root));
    assertThatThrownBy(() -> p.data("/etc/passwd", "task.train"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("outside the allowed data roots");
    assertThat(p.data(root.resolve("ok.tsv").toString(), "task.train")).isEqualTo(root.resolve("ok.tsv"));
  }

  @Test
  void aRootGivenTwiceIsListedOnceInTheError(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store"));
    PathPolicy p = new PathPolicy(root, List.of(root, root.resolve(".")), List.of(root));
    assertThatThrownBy(() -> p.data("/etc/passwd", "task.dir"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("data roots [" + root.toAbsolutePath() + "]");
  }

  @Test
  void symbolicLinksThatLeadOutAreRejected(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store"));
    Path outside = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(outside.resolve("key.txt"), "s3cr3t");
    Files.createSymbolicLink(root.resolve("escape"), outside);
    PathPolicy p = new PathPolicy(root, List.of(root), List.of(root));
    assertThatThrownBy(() -> p.data("escape/key.txt", "task.train"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("symbolic link");
    // A link that stays inside the root is fine.
    Files.createDirectories(root.resolve("real"));
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
    assertThat(p.data("alias/x.tsv", "task.train")).isEqualTo(root.resolve("alias/x.tsv"));
  }

  @Test
  void outputRootsAreSeparateFromDataRoots(@TempDir Path tmp) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    PathPolicy p = new PathPolicy(out, List.of(data, out), List.of(out));
    assertThat(p.data(data.resolve("a").toString(), "task.dir")).isEqualTo(data.resolve("a"));
    assertThatThrownBy(() -> p.output(data.resolve("b").toString(), "output.dir"))
        .hasMessageContaining("outside the allowed output roots");
  }
}

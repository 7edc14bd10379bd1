package dev.retort.evaluator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotPrunerTest {
  @TempDir
  Path snapshots;

  private Path snapshot(long step) throws Exception {
    Path d = snapshots.resolve(String.format("step-%09d", step));
    Files.createDirectories(d);
    Files.writeString(d.resolve("config.json"), "{}");
    return d;
  }

  @Test
  void deletesEvaluatedSnapshotsThatAreNeitherBestNorNewest() throws Exception {
    Path s10 = snapshot(10);
    Path s20 = snapshot(20);
    Path s30 = snapshot(30);
    Path s40 = snapshot(40);
    Path s50 = snapshot(50);
    Files.createDirectories(snapshots.resolve("other"));
    List<Path> deleted = SnapshotPruner.prune(snapshots, List.of(10L, 20L, 30L, 50L), 20);
    assertThat(deleted).containsExactlyInAnyOrder(s10, s30);
    assertThat(s20).as("best").exists();
    assertThat(s40).as("not evaluated yet").exists();
    assertThat(s50).as("newest").exists();
    assertThat(s10).doesNotExist();
    assertThat(snapshots.resolve("other")).exists();
  }

  @Test
  void aMissingDirectoryIsNothingToPrune() throws Exception {
    assertThat(SnapshotPruner.prune(snapshots.resolve("none"), List.of(1L), 1)).isEmpty();
  }
}

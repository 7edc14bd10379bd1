package dev.retort.evaluator.evaluation;

import dev.retort.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Deletes the student snapshots nobody needs any more: those already evaluated that are neither
 * the best nor the newest. Snapshots not yet evaluated are kept, since their announcement may
 * still be on its way.
 */
public final class SnapshotPruner {
  private SnapshotPruner() {}

  /**
   * Prunes a snapshot directory.
   *
   * @param snapshots the directory holding {@code step-N} model directories
   * @param evaluated the steps already evaluated
   * @param bestStep the best checkpoint's step
   * @return the directories deleted
   * @throws IOException if listing or deleting fails
   */
  public static List<Path> prune(Path snapshots, Collection<Long> evaluated, long bestStep)
      throws IOException {
    if (!Files.isDirectory(snapshots)) {
      return List.of();
    }
    TreeMap<Long, Path> bySteps = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(snapshots)) {
      dirs.filter(Files::isDirectory).forEach(d -> {
        String name = d.getFileName().toString();
        if (name.matches("step-\\d+")) {
          bySteps.put(Long.parseLong(name.substring(5)), d);
        }
      });
    }
    List<Path> deleted = new ArrayList<>();
    if (bySteps.isEmpty()) {
      return deleted;
    }
    long newest = bySteps.lastKey();
    for (Map.Entry<Long, Path> e : bySteps.entrySet()) {
      long step = e.getKey();
      if (step != newest && step != bestStep && evaluated.contains(step)) {
        AtomicFiles.deleteTree(e.getValue());
        deleted.add(e.getValue());
      }
    }
    return deleted;
  }

}

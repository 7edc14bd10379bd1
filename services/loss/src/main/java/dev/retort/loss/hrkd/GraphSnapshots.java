package dev.retort.loss.hrkd;

import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.SafetensorsReader;
import dev.retort.core.weights.SafetensorsWriter;
import dev.retort.loss.config.ArtifactStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A job's trained-graph state on disk, under {@code <loss dir>/graph/}: a snapshot {@code
 * step-<N>.safetensors} (weights and optimiser moments after step N) for every step the trainer
 * checkpoints after, the newest few kept, and {@code progress} holding the last step evaluated.
 *
 * <p>After a restart, a graph can continue exactly only from a snapshot: at step {@code S + 1}
 * after the newest snapshot S, or from the step a resuming trainer names.
 */
public final class GraphSnapshots {
  private final Path dir;
  private final int keep;

  /**
   * Opens a job's snapshot directory.
   *
   * @param lossDir the job's loss directory
   * @param keep how many snapshots to keep
   */
  public GraphSnapshots(Path lossDir, int keep) {
    this.dir = lossDir.resolve("graph");
    this.keep = keep;
  }

  /**
   * Writes a snapshot and drops the oldest beyond the limit.
   *
   * @param step the step it was taken after
   * @param state the graph state
   * @throws IOException if writing fails
   */
  public void write(long step, StateDict state) throws IOException {
    SafetensorsWriter.write(file(step), state);
    List<Long> steps = steps();
    for (int i = 0; i < steps.size() - keep; i++) {
      Files.deleteIfExists(file(steps.get(i)));
    }
  }

  /**
   * Reads a snapshot.
   *
   * @param step the step
   * @return the state, or null when there is no snapshot of that step
   */
  public StateDict read(long step) {
    Path f = file(step);
    return Files.exists(f) ? SafetensorsReader.read(f) : null;
  }

  /** Returns the steps that have snapshots, ascending. */
  public List<Long> steps() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Long> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("step-\\d+\\.safetensors"))
          .forEach(n -> out.add(Long.parseLong(n.substring(5, n.length() - 12))));
    }
    out.sort(null);
    return out;
  }

  /**
   * Records the last step evaluated.
   *
   * @param step the step
   * @throws IOException if writing fails
   */
  public void progress(long step) throws IOException {
    ArtifactStore.write(dir.resolve("progress"),
        Long.toString(step).getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the last step evaluated before, or -1 when none was. */
  public long progress() throws IOException {
    Path f = dir.resolve("progress");
    return Files.exists(f) ? Long.parseLong(Files.readString(f).trim()) : -1;
  }

  private Path file(long step) {
    return dir.resolve(String.format(Locale.ROOT, "step-%d.safetensors", step));
  }
}

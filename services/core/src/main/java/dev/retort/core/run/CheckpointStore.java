package dev.retort.core.run;

import dev.retort.core.RetortException;
import dev.retort.core.train.Checkpoint;
import dev.retort.core.train.CheckpointIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resumable checkpoints of one training phase: {@code <dir>/step-000123.safetensors}. Loading
 * takes the newest checkpoint that passes its checksum, skipping (and reporting) damaged ones;
 * writing keeps the newest {@code keep}.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final String PREFIX = "step-";
  private static final String SUFFIX = ".safetensors";

  private final Path dir;
  private final int keep;

  /**
   * Creates a store.
   *
   * @param dir the phase's checkpoint directory
   * @param keep how many checkpoints to keep
   */
  public CheckpointStore(Path dir, int keep) {
    this.dir = dir;
    this.keep = Math.max(1, keep);
  }

  /** Returns the directory. */
  public Path dir() {
    return dir;
  }

  /** Returns the file of a step. */
  public Path path(long step) {
    return dir.resolve(String.format(Locale.ROOT, "%s%09d%s", PREFIX, step, SUFFIX));
  }

  /**
   * Writes a checkpoint and prunes old ones.
   *
   * @param c the checkpoint
   * @return the file written
   * @throws IOException if writing fails
   */
  public Path write(Checkpoint c) throws IOException {
    Files.createDirectories(dir);
    Path p = path(c.state().step());
    CheckpointIo.write(p, c);
    List<Path> all = list();
    for (int i = 0; i < all.size() - keep; i++) {
      Files.deleteIfExists(all.get(i));
    }
    return p;
  }

  /** Returns the checkpoint files, oldest first. */
  public List<Path> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = new ArrayList<>(
          s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(SUFFIX)).toList());
      out.sort(Comparator.comparing(p -> p.getFileName().toString()));
      return out;
    } catch (IOException e) {
      throw new RetortException(dir.toString(), "cannot list checkpoints: " + e.getMessage(), "Check the directory", e);
    }
  }

  /**
   * Returns the newest intact checkpoint, if any. Damaged files are logged and skipped.
   *
   * @return the checkpoint
   */
  public Optional<Checkpoint> latest() {
    List<Path> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        return Optional.of(CheckpointIo.read(all.get(i)));
      } catch (RetortException e) {
        LOG.warn("Skipping damaged checkpoint: {}", e.getMessage());
      }
    }
    return Optional.empty();
  }
}

package dev.retort.core.run;

import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobPaths;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.weights.ModelRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything that decides the weights of the teacher {@link ModelFactory#teacher} builds for a job,
 * so that two jobs with equal keys get byte-identical teachers ({@link TeacherMemo}).
 *
 * <p>The job's {@code teacher.model}, {@code teacher.gelu}, {@code teacher.pooled-activation} and
 * {@code seed} (a fresh head, and every weight of a preset, is drawn from it), the task's head
 * (labels, regression, domains), and what the reference reads: nothing for a preset, the released
 * version for a Maven jar, and every file's name, size and modification time for a directory or an
 * ONNX file on disk, so that a teacher fine-tuned again into the same directory is a new key. A
 * Hub reference (its revision can move) or a Maven snapshot has no key: such a teacher is built
 * every time.
 *
 * @param model the job's {@code teacher.model}
 * @param files what the reference reads, as described above
 * @param seed the job's seed
 * @param gelu {@code teacher.gelu}
 * @param pooled {@code teacher.pooled-activation}
 * @param numLabels the task's label count
 * @param regression whether the task is a regression
 * @param labels the task's label names
 * @param domains the head's domains
 */
public record TeacherKey(
    String model,
    String files,
    long seed,
    String gelu,
    String pooled,
    int numLabels,
    boolean regression,
    List<String> labels,
    List<String> domains) {

  private static final String KEY = "teacher.model";
  private static final int DEPTH = 4;

  /** Copies the lists. */
  public TeacherKey {
    labels = List.copyOf(labels);
    domains = List.copyOf(domains);
  }

  /**
   * Returns a job's teacher key, or empty where the reference cannot be keyed (a Hub model, a Maven
   * snapshot, a reference that does not parse or files that cannot be read: loading it reports
   * those).
   *
   * @param job the job
   * @param task its task
   * @param domains the head's domains
   * @param paths where the job may read
   * @return the key, or empty
   */
  public static Optional<TeacherKey> of(ConfigValues job, TaskData task, List<String> domains, PathPolicy paths) {
    return files(job.str(KEY), paths).map(files -> new TeacherKey(
        job.str(KEY), files, job.integer("seed"), job.str("teacher.gelu"),
        job.str("teacher.pooled-activation"), task.numLabels(), task.regression(),
        task.regression() ? List.of() : task.labels().labels(), domains));
  }

  private static Optional<String> files(String ref, PathPolicy paths) {
    try {
      if (ref.startsWith("preset:")) {
        return Optional.of("preset");
      }
      if (ref.startsWith("checkpoint:")) {
        return Optional.of(listing(paths.data(ref.substring("checkpoint:".length()), KEY)));
      }
      ModelRef parsed = JobPaths.modelRef(ref, KEY, paths);
      if (parsed instanceof ModelRef.Maven m) {
        return m.coordinates().version().endsWith("-SNAPSHOT") ? Optional.empty() : Optional.of("maven");
      }
      if (parsed instanceof ModelRef.HfDir d) {
        return Optional.of(listing(d.dir()));
      }
      if (parsed instanceof ModelRef.Onnx o) {
        Path tokenizer = o.tokenizer() != null ? o.tokenizer() : o.model().resolveSibling("tokenizer.json");
        return Optional.of(listing(o.model()) + "\n" + listing(tokenizer) + "\nheads " + o.heads());
      }
      return Optional.empty();
    } catch (RuntimeException | IOException e) {
      return Optional.empty();
    }
  }

  /** Name, size and modification time of a file, or of every file below a directory, in name order. */
  private static String listing(Path path) throws IOException {
    Path root = path.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      return line(root, root.getFileName());
    }
    try (Stream<Path> walk = Files.walk(root, DEPTH)) {
      return walk.filter(Files::isRegularFile).sorted()
          .map(p -> line(p, root.relativize(p)))
          .collect(Collectors.joining("\n", root + "\n", ""));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static String line(Path file, Path name) {
    try {
      return name + " " + Files.size(file) + " " + Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.retort.core.run;

import dev.retort.core.io.AtomicFiles;
import dev.retort.core.io.DigestSink;
import dev.retort.core.io.DirectorySink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a teacher that is not fine-tuned over as a model directory: the teacher service loads it
 * by reference and the evaluator scores it.
 *
 * <p>On the platform ({@code shared} set: the artifact store's {@code teachers/}) the directory is
 * content-addressed, {@code teachers/<first 32 hex digits of its DigestSink digest>}. The jobs of a
 * search population, or of one shared teacher pass, hand over byte-identical teachers; one copy
 * per job would cost a BERT-base's 440 MB each, and the teacher service would load each copy as
 * a different model. A job first hashes the files it would write, in memory. When that content is
 * in the store it writes nothing. Otherwise it writes {@code teachers/.partial-<job>}, checks that
 * the files hash to the same name, and renames the directory into place, or deletes it when
 * another job, at the same moment, moved the same content in first. The job keeps a pointer,
 * {@code teacher/model.ref}, so that a resumed job finds its teacher without hashing it again.
 *
 * <p>In process ({@code shared} null) the teacher goes into the run directory, {@code
 * teacher/model}, where a copied run directory keeps it. A run directory that already holds
 * {@code teacher/model} (a run written before) keeps using it.
 */
public final class TeacherHandover {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherHandover.class);

  /** The pointer file in {@code <run>/teacher/}: the shared directory's name. */
  public static final String POINTER = "model.ref";

  /** The shared teacher directory's name in the artifact store. */
  public static final String SHARED_DIR = "teachers";

  private static final Pattern DIGEST_NAME = Pattern.compile("[0-9a-f]{32}");

  private static final int NAME_HEX = 32;

  private TeacherHandover() {}

  /**
   * Hands a teacher over.
   *
   * @param teacher the teacher as the job loaded it
   * @param runDir the job's run directory
   * @param shared the shared teacher directory of the platform, or null in process
   * @return the model directory to announce and to load the teacher from
   * @throws IOException if writing fails
   */
  public static Path handOver(LoadedModel teacher, Path runDir, Path shared) throws IOException {
    return handOver(teacher, runDir, shared, ModelDirectory::contentDigest);
  }

  /**
   * Hands a teacher over, with its content digest from {@code digest} ({@link TeacherMemo#digest}
   * knows it for a teacher kept from the last job).
   *
   * @param teacher the teacher as the job loaded it
   * @param runDir the job's run directory
   * @param shared the shared teacher directory of the platform, or null in process
   * @param digest returns {@link ModelDirectory#contentDigest} of the teacher
   * @return the model directory to announce and to load the teacher from
   * @throws IOException if writing fails
   */
  public static Path handOver(LoadedModel teacher, Path runDir, Path shared, ContentDigest digest)
      throws IOException {
    Path own = runDir.resolve("teacher").resolve("model");
    if (ModelDirectory.isModelDirectory(own)) {
      return own;
    }
    if (shared == null) {
      ModelDirectory.write(own, teacher);
      return own;
    }
    Path pointer = runDir.resolve("teacher").resolve(POINTER);
    if (Files.isRegularFile(pointer)) {
      Path target = shared.resolve(Files.readString(pointer, StandardCharsets.UTF_8).strip());
      if (target.getParent().equals(shared) && ModelDirectory.isModelDirectory(target)) {
        return target;
      }
    }
    Files.createDirectories(shared);
    String name = nameOf(digest.of(teacher)); // hashes, writes nothing
    Path target = shared.resolve(name);
    if (ModelDirectory.isModelDirectory(target)) {
      LOG.info("teacher {} is in the store already; nothing written", name);
    } else {
      moveIn(teacher, shared.resolve(".partial-" + runDir.getFileName()), target);
    }
    AtomicFiles.writeString(pointer, target.getFileName().toString());
    return target;
  }

  /**
   * Returns a teacher directory's content digest without reading it again when it is a shared
   * teacher: those are named by their digest when handed over and never change.
   *
   * @param dir the teacher directory
   * @param shared the shared teacher directory, or null
   * @return 32 hex characters
   * @throws IOException if a file cannot be read
   */
  public static String contentDigest(Path dir, Path shared) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    String name = d.getFileName().toString();
    if (shared != null && shared.toAbsolutePath().normalize().equals(d.getParent())
        && DIGEST_NAME.matcher(name).matches()) {
      return name;
    }
    return digest(dir);
  }

  /**
   * Returns a directory's content digest, the name of a shared teacher: the first 32 hex digits of
   * {@link DigestSink#of(Path)}.
   *
   * @param dir the directory
   * @return 32 hex characters
   * @throws IOException if a file cannot be read
   */
  public static String digest(Path dir) throws IOException {
    return nameOf(DigestSink.of(dir));
  }

  private static String nameOf(String hex) {
    return hex.substring(0, NAME_HEX);
  }

  /** A model's content digest, {@link ModelDirectory#contentDigest}. */
  @FunctionalInterface
  public interface ContentDigest {
    /**
     * Returns the digest.
     *
     * @param model the model
     * @return 64 hex digits
     * @throws IOException if serialising the model fails
     */
    String of(LoadedModel model) throws IOException;
  }

  /**
   * Writes the teacher to {@code partial} and renames it to {@code target}, or deletes it when
   * another job moved the same content in first.
   */
  private static void moveIn(LoadedModel teacher, Path partial, Path target) throws IOException {
    AtomicFiles.deleteTree(partial);
    DigestSink files = DigestSink.over(new DirectorySink(partial));
    ModelDirectory.write(files, teacher);
    String written = nameOf(files.hex());
    if (!written.equals(target.getFileName().toString())) {
      AtomicFiles.deleteTree(partial);
      throw new IllegalStateException(
          "the teacher's files hash to " + written + ", not to " + target.getFileName()
              + " as computed before writing them: its serialisation is not deterministic");
    }
    try {
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // rename(2) onto a non-empty directory fails (ENOTEMPTY, not mapped to a subclass).
      if (!ModelDirectory.isModelDirectory(target)) {
        throw e;
      }
      AtomicFiles.deleteTree(partial); // another job moved the same content in first
    }
  }
}

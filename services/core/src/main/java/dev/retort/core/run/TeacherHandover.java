package dev.retort.core.run;

import dev.retort.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hands a teacher that is not fine-tuned over as a model directory: the teacher service loads it
 * by reference and the evaluator scores it.
 *
 * <p>On the platform ({@code shared} set: the artifact store's {@code teachers/}) the directory is
 * content-addressed, {@code teachers/<first 32 hex digits of SHA-256 of its files>}. The jobs of a
 * search population, or of one shared teacher pass, hand over byte-identical teachers; one copy
 * per job would cost a BERT-base's 440 MB each, and the teacher service would load each copy as
 * a different model. A job writes its teacher to {@code teachers/.partial-<job>}, hashes it, and
 * renames it into place, or deletes it when that content is there already (another job, possibly
 * at the same moment, won). The job keeps a pointer, {@code teacher/model.ref}, so that a resumed
 * job finds its teacher without writing it again.
 *
 * <p>In process ({@code shared} null) the teacher goes into the run directory, {@code
 * teacher/model}, where a copied run directory keeps it. A run directory that already holds
 * {@code teacher/model} (a run written before) keeps using it.
 */
public final class TeacherHandover {
  /** The pointer file in {@code <run>/teacher/}: the shared directory's name. */
  public static final String POINTER = "model.ref";

  /** The shared teacher directory's name in the artifact store. */
  public static final String SHARED_DIR = "teachers";

  private static final Pattern DIGEST_NAME = Pattern.compile("[0-9a-f]{32}");

  private static final int BUFFER = 1 << 20;
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
    Path partial = shared.resolve(".partial-" + runDir.getFileName());
    AtomicFiles.deleteTree(partial);
    ModelDirectory.write(partial, teacher);
    Path target = shared.resolve(digest(partial));
    if (ModelDirectory.isModelDirectory(target)) {
      AtomicFiles.deleteTree(partial);
    } else {
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
   * SHA-256 over its files' relative names and bytes, in name order.
   *
   * @param dir the directory
   * @return 32 hex characters
   * @throws IOException if a file cannot be read
   */
  public static String digest(Path dir) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    byte[] buffer = new byte[BUFFER];
    for (Path f : files) {
      md.update(dir.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      try (InputStream in = Files.newInputStream(f)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          md.update(buffer, 0, n);
        }
      }
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest()).substring(0, NAME_HEX);
  }

}

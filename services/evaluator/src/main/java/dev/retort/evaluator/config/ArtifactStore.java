package dev.retort.evaluator.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.core.io.AtomicFiles;
import dev.retort.core.job.PathPolicy;
import dev.retort.messaging.TrainingRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The artifact store as the evaluator sees it: job directories {@code <root>/jobs/<job id>/}, paths
 * from messages resolved with the store's {@link PathPolicy} (nothing outside the root), and
 * {@code state.json}, the job status other services check for duplicates.
 */
@ApplicationScoped
public class ArtifactStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final PathPolicy paths;
  private final PathPolicy dataPaths;

  /**
   * Creates the store.
   *
   * @param config the artifact store settings
   */
  @Inject
  public ArtifactStore(ArtifactsConfig config) {
    this(Path.of(config.root()), config.dataRoots().orElse(List.of()).stream().map(Path::of).toList());
  }

  /**
   * Creates a store at a root.
   *
   * @param root the root directory
   */
  public ArtifactStore(Path root) {
    this(root, List.of());
  }

  /**
   * Creates a store at a root that also lets jobs read task data from other directories.
   *
   * @param root the root directory
   * @param dataRoots further directories task data may lie in (as the trainer's data roots)
   */
  public ArtifactStore(Path root, List<Path> dataRoots) {
    this.root = root.toAbsolutePath().normalize();
    this.paths = new PathPolicy(this.root, List.of(this.root), List.of(this.root));
    // The trainer's order: the configured data roots first (relative paths resolve against the
    // first), then the store, so that both services read a job's task.dir as the same directory.
    List<Path> data = new java.util.ArrayList<>();
    dataRoots.forEach(d -> data.add(d.toAbsolutePath().normalize()));
    data.add(this.root);
    this.dataPaths = new PathPolicy(this.root, data, List.of(this.root));
  }

  /** Returns the root. */
  public Path root() {
    return root;
  }

  /** Returns the policy for a job's task data: the configured data roots, then the store. */
  public PathPolicy paths() {
    return dataPaths;
  }

  /**
   * Returns a job's directory (not created).
   *
   * @param jobId the job id
   * @return {@code <root>/jobs/<job id>}
   * @throws dev.retort.messaging.BadMessageException if the id is not a legal job id
   */
  public Path jobDir(String jobId) {
    TrainingRequests.checkJobId(jobId);
    return paths.output("jobs/" + jobId, "job_id");
  }

  /**
   * Resolves a path a message names.
   *
   * @param path relative to the root, or absolute inside it
   * @param field the message field, for errors
   * @return the absolute path
   * @throws dev.retort.core.RetortException if it escapes the root
   */
  public Path resolve(String path, String field) {
    return paths.data(path, field);
  }

  /** Returns a path inside the store relative to the root, as messages carry it. */
  public String relative(Path path) {
    return root.relativize(path.toAbsolutePath().normalize()).toString();
  }

  /**
   * Sets a job's status in {@code state.json}, keeping the other fields other services wrote.
   *
   * @param jobId the job
   * @param status e.g. {@code finished}
   * @throws IOException if the file cannot be read or written
   */
  public void setStatus(String jobId, String status) throws IOException {
    Path file = jobDir(jobId).resolve("state.json");
    ObjectNode state = Files.exists(file) && JSON.readTree(file.toFile()) instanceof ObjectNode o
        ? o : JSON.createObjectNode();
    state.put("jobId", jobId).put("status", status).put("updatedAt", Instant.now().toString())
        .put("updatedBy", "evaluator");
    write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
  }

  /**
   * Replaces a file's content atomically: readers see the old or the new file, never a part.
   *
   * @param file the file (its directory is created)
   * @param content the new content
   * @throws IOException if writing fails
   */
  public static void write(Path file, byte[] content) throws IOException {
    AtomicFiles.write(file, content);
  }
}

package dev.retort.loss.config;

import dev.retort.core.io.AtomicFiles;
import dev.retort.core.job.PathPolicy;
import dev.retort.messaging.TrainingRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the loss service keeps a job's state: {@code <root>/jobs/<job id>/loss/}, resolved with
 * the store's {@link PathPolicy} (nothing outside the root) from a checked job id.
 */
@ApplicationScoped
public class ArtifactStore {
  private final Path root;
  private final PathPolicy paths;

  /**
   * Creates the store.
   *
   * @param config the artifact store settings
   */
  @Inject
  public ArtifactStore(ArtifactsConfig config) {
    this(Path.of(config.root()));
  }

  /**
   * Creates a store at a root.
   *
   * @param root the root directory
   */
  public ArtifactStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.paths = new PathPolicy(this.root, List.of(this.root), List.of(this.root));
  }

  /** Returns the root. */
  public Path root() {
    return root;
  }

  /**
   * Returns a job's loss-state directory (not created).
   *
   * @param jobId the job id
   * @return {@code <root>/jobs/<job id>/loss}
   * @throws dev.retort.messaging.BadMessageException if the id is not a legal job id
   */
  public Path lossDir(String jobId) {
    TrainingRequests.checkJobId(jobId);
    return paths.output("jobs/" + jobId + "/loss", "job_id");
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

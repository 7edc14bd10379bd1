package dev.retort.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The artifact store shared by the services, under {@code retort.artifacts}. */
@ConfigMapping(prefix = "retort.artifacts")
public interface ArtifactsConfig {

  /**
   * Root of the artifact store: a directory every service sees (an RWX volume on Kubernetes).
   * Job directories are {@code <root>/jobs/<job id>/}; announced checkpoints and task data must lie
   * inside the root.
   */
  @WithDefault(".retort/artifacts")
  String root();

  /**
   * Further directories jobs may read task data from, as the trainer's {@code
   * retort.trainer.data-roots}; set both to the same list. Empty: the artifact store only.
   */
  Optional<List<String>> dataRoots();
}

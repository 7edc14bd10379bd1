package dev.retort.loss.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The artifact store shared by the services, under {@code retort.artifacts}. */
@ConfigMapping(prefix = "retort.artifacts")
public interface ArtifactsConfig {

  /**
   * Root of the artifact store: a directory every service sees (an RWX volume on Kubernetes).
   * Per-job state lives under {@code <root>/jobs/<job id>/loss/}.
   */
  @WithDefault(".retort/artifacts")
  String root();
}

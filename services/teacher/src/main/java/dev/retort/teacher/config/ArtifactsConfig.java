package dev.retort.teacher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The artifact store shared by the services, under {@code retort.artifacts}. */
@ConfigMapping(prefix = "retort.artifacts")
public interface ArtifactsConfig {

  /**
   * Root of the artifact store: a directory every service sees (an RWX volume on Kubernetes).
   * {@code checkpoint:} teacher references are resolved inside it, and never outside.
   */
  @WithDefault(".retort/artifacts")
  String root();
}

package dev.retort.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The artifact store shared by the services, under {@code retort.artifacts}. */
@ConfigMapping(prefix = "retort.artifacts")
public interface ArtifactsConfig {

  /**
   * Root of the artifact store: a directory every service sees (an RWX volume on Kubernetes). Job
   * directories are {@code <root>/jobs/<job id>/}.
   */
  @WithDefault(".retort/artifacts")
  String root();
}

package dev.retort.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobFollowerTest {

  @Test
  void theExportIsAPathOnThisMachineWhenTheArtifactStoreIsLocal() {
    assertThat(JobFollower.exportLine("jobs/j/export", Path.of("/store")))
        .startsWith("Student exported to " + Path.of("/store/jobs/j/export") + ": a Hugging Face directory");
    assertThat(JobFollower.exportLine("jobs/j/export", null))
        .startsWith("Student exported to jobs/j/export (in the platform's artifact store)");
  }

  @Test
  void theStoreOfRetortUpIsTheArtifactsDirectoryBesideItsState() {
    // 'retort up' creates it there and 'retort submit --follow' shows exports under it.
    assertThat(LocalPlatform.artifactsBeside(Path.of("/repo/.retort/stack")))
        .isEqualTo(Path.of("/repo/.retort/artifacts"));
    assertThat(LocalPlatform.artifactsBeside(Path.of("/repo/.retort/./stack/")))
        .isEqualTo(Path.of("/repo/.retort/artifacts"));
  }
}

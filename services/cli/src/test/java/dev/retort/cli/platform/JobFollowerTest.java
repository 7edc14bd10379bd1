package dev.retort.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.proto.v1.SummaryTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobFollowerTest {

  @Test
  void theSummaryNamesTheSplitItsValuesComeFrom() {
    SummaryTable test = SummaryTable.newBuilder().setMetric("acc").setSplit("test")
        .setTeacherValue(0.63).setStudentValue(0.57).build();
    assertThat(JobFollower.metricLabel(test)).isEqualTo("acc (test)");
    assertThat(JobFollower.asMap(test)).containsEntry("split", "test").containsEntry("metric", "acc");
    // A summary from an evaluator that does not send the split yet shows the metric alone.
    assertThat(JobFollower.metricLabel(test.toBuilder().clearSplit().build())).isEqualTo("acc");
  }

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

package dev.retort.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.messaging.JobEvents;
import dev.retort.proto.v1.JobEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
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

  @Test
  void aFailedPartOfAJobIsAWarningAndTheFollowEndsOnlyWithTheJobsOwnFailure() {
    JobEvents events = new JobEvents("r", Clock.systemUTC());
    StringWriter err = new StringWriter();
    JobFollower follower = new JobFollower("j", new PrintWriter(new StringWriter()),
        new PrintWriter(err, true), false);

    follower.show(events.partFailed("j", "checkpoint student step 10 (x) not evaluated: disk full"));
    assertThat(follower.last()).as("the job goes on").isNull();
    assertThat(err.toString()).contains("warning: job j goes on, but failed: checkpoint student");

    JobEvent end = events.failed("j", "the loss service failed", "");
    follower.show(end);
    assertThat(follower.last()).isEqualTo(end);
  }

  @Test
  void onlyEventsThatEndTheJobEndTheWatch() {
    JobEvents events = new JobEvents("r", Clock.systemUTC());
    assertThat(JobEnds.ends(events.partFailed("j", "loss request for step 3 not served"))).isFalse();
    assertThat(JobEnds.ends(events.failed("j", "out of memory", ""))).isTrue();
    assertThat(JobEnds.ends(events.cancelled("j", 3, ""))).isTrue();
  }
}

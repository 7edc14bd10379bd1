package dev.retort.loss.hrkd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.loss.LossRequests;
import dev.retort.loss.config.ArtifactStore;
import dev.retort.loss.metrics.LossMetrics;
import dev.retort.messaging.BadMessageException;
import dev.retort.proto.v1.GraphResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-job graphs, and what survives a restart of the service (a new instance on the same store). */
class GraphSessionsTest {
  @TempDir
  Path root;

  private GraphSessions start() {
    return new GraphSessions(new GraphMapper(10_000, 1_000_000), new ArtifactStore(root),
        new LossMetrics(new SimpleMeterRegistry(), 4), 2, 4);
  }

  private static GraphResult step(GraphSessions s, String job, long step, boolean trained,
      long resume, boolean snapshot) {
    return s.evaluate(job, step, LossRequests.graph(trained, step, resume, snapshot));
  }

  @Test
  void trainedGraphContinuesExactlyFromItsSnapshotAfterARestart() {
    GraphResult[] uninterrupted = new GraphResult[4];
    GraphSessions first = start();
    for (int step = 1; step <= 3; step++) {
      uninterrupted[step] = step(first, "j", step, true, 0, step == 2);
    }
    first.close();

    GraphSessions restarted = start();
    assertThat(step(restarted, "j", 3, true, 0, false))
        .as("step 3 continues from the snapshot of step 2").isEqualTo(uninterrupted[3]);
    restarted.close();

    GraphSessions late = start();
    assertThatThrownBy(() -> step(late, "j", 5, true, 0, false))
        .isInstanceOf(BadMessageException.class).hasMessageContaining("lost")
        .hasMessageContaining("newest snapshot: step 2");
    assertThat(step(late, "j", 3, true, 2, false))
        .as("a resuming trainer names the snapshot").isEqualTo(uninterrupted[3]);
    assertThatThrownBy(() -> step(late, "j", 5, true, 0, false))
        .hasMessageContaining("would skip or repeat steps");
    assertThatThrownBy(() -> step(late, "j", 4, true, 1, false))
        .hasMessageContaining("no graph snapshot of step 1");
    late.close();
  }

  @Test
  void frozenGraphIsTheSameAfterARestartAtAnyStep() {
    GraphSessions first = start();
    step(first, "f", 1, false, 0, false);
    GraphResult two = step(first, "f", 2, false, 0, false);
    first.close();
    GraphSessions restarted = start();
    assertThat(step(restarted, "f", 2, false, 0, false)).isEqualTo(two);
    restarted.close();
  }

  @Test
  void optionsMayNotChangeWithinAJob() {
    GraphSessions s = start();
    step(s, "o", 1, false, 0, false);
    assertThatThrownBy(() -> step(s, "o", 2, true, 0, false))
        .hasMessageContaining("differ from the options");
    s.close();
  }
}

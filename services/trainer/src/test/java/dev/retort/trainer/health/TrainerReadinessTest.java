package dev.retort.trainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.trainer.health.TrainerReadiness.Reader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerReadinessTest {

  @Test
  void namesTheFirstReaderThatStopped() {
    List<Reader> readers = List.of(
        new Reader("replies", () -> true),
        new Reader("control", () -> false),
        new Reader("dead letters", () -> false));
    assertThat(TrainerReadiness.firstStopped(readers)).isEqualTo("control");
  }

  @Test
  void isSilentWhileEveryReaderRuns() {
    assertThat(TrainerReadiness.firstStopped(
        List.of(new Reader("replies", () -> true), new Reader("control", () -> true)))).isNull();
  }
}

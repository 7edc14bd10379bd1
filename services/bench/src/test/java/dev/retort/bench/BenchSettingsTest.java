package dev.retort.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

  @Test
  void fullRunUsesTheIssueShapesAndEveryFigure() {
    BenchSettings s = BenchSettings.builder().setWorkDir(Path.of("w")).build();
    assertThat(s.step().studentPreset()).isEqualTo("tinybert-4l-312");
    assertThat(s.step().teacherPreset()).isEqualTo("bert-base");
    assertThat(s.step().batch()).isEqualTo(32);
    assertThat(s.step().length()).isEqualTo(128);
    assertThat(s.memory().batch()).isEqualTo(32);
    assertThat(s.jmh().forks()).isEqualTo(1);
    for (FigureId f : FigureId.values()) {
      assertThat(s.selected(f)).as(f.id()).isTrue();
    }
  }

  @Test
  void quickRunLeavesThePlatformOutUnlessNamed() {
    BenchSettings q = BenchSettings.builder().setWorkDir(Path.of("w")).optQuick(true).build();
    assertThat(q.selected(FigureId.STEP_EFFICIENCY)).isTrue();
    assertThat(q.selected(FigureId.PLATFORM_OVERHEAD)).isFalse();
    assertThat(q.selected(FigureId.KNOWLEDGE_REUSE)).isFalse();
    assertThat(q.jmh().forks()).isZero();
    BenchSettings named =
        BenchSettings.builder()
            .setWorkDir(Path.of("w"))
            .optQuick(true)
            .optOnly(List.of(FigureId.KNOWLEDGE_REUSE))
            .build();
    assertThat(named.selected(FigureId.KNOWLEDGE_REUSE)).isTrue();
    assertThat(named.selected(FigureId.STEP_EFFICIENCY)).isFalse();
  }

  @Test
  void overridesReachTheShapes() {
    BenchSettings s =
        BenchSettings.builder()
            .setWorkDir(Path.of("w"))
            .optMemorySteps(10_000)
            .optRepetitions(3)
            .build();
    assertThat(s.memory().steps()).isEqualTo(10_000);
    assertThat(s.memory().sampleEvery())
        .isEqualTo(51); // 50 rounded up to a multiple of the 3 lengths
    assertThat(s.step().repetitions()).isEqualTo(3);
    assertThat(s.matmul().repetitions()).isEqualTo(3);
  }

  @Test
  void builderRejectsMissingOrNonsensicalValues() {
    assertThatThrownBy(() -> BenchSettings.builder().build())
        .hasMessageContaining("work directory");
    assertThatThrownBy(
            () -> BenchSettings.builder().setWorkDir(Path.of("w")).optRepetitions(0).build())
        .hasMessageContaining("repetitions");
  }
}

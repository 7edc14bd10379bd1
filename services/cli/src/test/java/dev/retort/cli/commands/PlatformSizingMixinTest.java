package dev.retort.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.RetortException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class PlatformSizingMixinTest {
  private final PlatformOptions defaults = PlatformOptions.defaults(Path.of("/repo"), List.of());

  @Command(name = "probe")
  static final class Probe {
    @Mixin PlatformSizingMixin sizing;
  }

  private static PlatformSizingMixin parse(String... args) {
    Probe p = new Probe();
    new CommandLine(p).parseArgs(args);
    return p.sizing;
  }

  @Test
  void givenThreadsAndWorkersReachTheServices() {
    PlatformOptions o = parse("--service-threads", "teacher=2,trainer=2", "--teacher-workers", "1")
        .apply(defaults);
    var teacher = o.spec("teacher", "localhost:9092", Path.of("/store"));
    assertThat(teacher.jvmOptions()).contains("-Dai.djl.pytorch.num_threads=2");
    assertThat(teacher.systemProperties()).containsEntry("retort.teacher.workers", "1");
    assertThat(o.spec("trainer", "localhost:9092", Path.of("/store")).jvmOptions())
        .contains("-Dai.djl.pytorch.num_threads=2");
  }

  @Test
  void nothingGivenKeepsTheDefaults() {
    PlatformOptions o = parse().apply(defaults);
    assertThat(o).isEqualTo(defaults);
  }

  @Test
  void badValuesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> parse("--teacher-workers", "5").apply(defaults))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("--teacher-workers 5");
    assertThatThrownBy(() -> parse("--service-threads", "teachr=2").apply(defaults))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("--service-threads teachr=2");
    assertThatThrownBy(() -> parse("--service-threads", "trainer=0").apply(defaults))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("fewer than 1 thread");
  }
}

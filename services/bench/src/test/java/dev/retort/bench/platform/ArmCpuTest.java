package dev.retort.bench.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArmCpuTest {

  private static Submission submission(double wall, Map<String, Double> cpu) {
    return new Submission(List.of(), wall, cpu);
  }

  @Test
  void anArmAddsUpItsSubmissionsProcessByProcessLargestFirst() {
    ArmCpu arm = ArmCpu.of(2, List.of(
        submission(40, ordered("teacher", 30.0, "trainer", 12.0, "kafka", 2.0)),
        submission(50, ordered("teacher", 35.0, "trainer", 14.0, "evaluator", 9.0))));

    assertThat(arm.wallSeconds()).isEqualTo(90);
    assertThat(arm.cpuSeconds()).containsExactly(
        Map.entry("teacher", 65.0), Map.entry("trainer", 26.0), Map.entry("evaluator", 9.0),
        Map.entry("kafka", 2.0));
    assertThat(arm.total()).isEqualTo(102);
    assertThat(arm.busy()).isCloseTo(102.0 / 180, offset(1e-12)); // 2 cores for 90 s
    assertThat(arm.text("sequential arm")).isEqualTo(
        "sequential arm: 102.0 core-s in 90.0 s (0.57 of 2 cores): teacher 65.0, trainer 26.0,"
            + " evaluator 9.0, kafka 2.0");
    assertThat(arm.toMap()).containsEntry("cpu_seconds", 102.0).containsEntry("wall_seconds", 90.0);
  }

  @Test
  void anArmWithASubmissionTheSystemGaveNoTimesForReportsNone() {
    ArmCpu arm = ArmCpu.of(2, List.of(
        submission(40, ordered("teacher", 30.0)), submission(50, Map.of())));

    assertThat(arm.reported()).isFalse();
    assertThat(arm.text("shared arm")).isEqualTo("shared arm: CPU not reported by this system");
    assertThat(arm.total()).isNaN();
    assertThat(arm.busy()).isNaN();
  }

  private static Map<String, Double> ordered(Object... pairs) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Double) pairs[i + 1]);
    }
    return m;
  }
}

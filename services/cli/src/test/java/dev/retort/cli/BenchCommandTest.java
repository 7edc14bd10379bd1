package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.cli.platform.BenchPlatform;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke test of {@code retort bench --quick}: every in-process figure and the JMH benchmarks
 * run end to end on tiny shapes and land in the table and the JSON report. Timings are not checked,
 * only that each figure was measured and carries its inputs.
 */
class BenchCommandTest {

  @Test
  void quickBenchMeasuresEveryInProcessFigureAndWritesTheReport(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("bench.json");
    Cli.Result r =
        Cli.run(
            "bench",
            "--quick",
            "--work",
            dir.resolve("work").toString(),
            "--json",
            json.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "figure",
            "measured",
            "target",
            "reached?",
            "Matmul reference (fp32)",
            "Step efficiency",
            "≥ 0.6",
            "Teacher efficiency",
            "≥ 0.7",
            "Wire size",
            "≤ 0.3",
            "EMD solve",
            "≤ 0.01",
            "Memory",
            "Where the step time goes");
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    Map<String, JsonNode> figures = new HashMap<>();
    report.path("figures").forEach(f -> figures.put(f.path("figure").asText(), f));
    assertThat(figures)
        .containsOnlyKeys(
            "matmul",
            "step-efficiency",
            "step-split",
            "teacher-efficiency",
            "platform-overhead",
            "knowledge-reuse",
            "wire-size",
            "emd-solve",
            "memory",
            "codec");
    for (String id :
        new String[] {
          "step-efficiency", "teacher-efficiency", "wire-size", "emd-solve", "memory"
        }) {
      JsonNode f = figures.get(id);
      assertThat(f.path("status").asText()).as(id + ": " + f).isEqualTo("measured");
      assertThat(f.path("value").asDouble()).as(id).isFinite();
      assertThat(f.path("reached").isBoolean()).as(id).isTrue();
      assertThat(f.path("target").path("threshold").isNumber()).as(id).isTrue();
    }
    for (String id : new String[] {"matmul", "step-split", "codec"}) {
      assertThat(figures.get(id).path("status").asText()).as(id).isEqualTo("info");
    }
    for (String id : new String[] {"platform-overhead", "knowledge-reuse"}) {
      assertThat(figures.get(id).path("status").asText()).as(id).isEqualTo("skipped");
    }
    JsonNode step = figures.get("step-efficiency").path("details");
    assertThat(step.path("step_flops").path("formula").asText())
        .contains("B·L·N·(2·(4H² + 2HI) + 4LH)");
    assertThat(step.path("step_seconds").size()).isEqualTo(step.path("repetitions").asInt());
    assertThat(step.path("matmul").path("flops_per_second").asDouble()).isPositive();
    assertThat(figures.get("step-split").path("details").path("shares").has("loss round trip"))
        .isTrue();
    JsonNode wire = figures.get("wire-size").path("details").path("variants");
    assertThat(wire.has("tinybert/fp16")).isTrue();
    assertThat(wire.has("bert-emd/bf16")).isTrue();
    assertThat(wire.path("tinybert/fp32").path("max_relative_loss_difference").asDouble()).isZero();
    assertThat(
            figures
                .get("emd-solve")
                .path("details")
                .path("max_relative_optimum_difference")
                .asDouble())
        .isLessThanOrEqualTo(1e-9);
    assertThat(figures.get("memory").path("details").path("samples").size()).isGreaterThan(2);
    assertThat(figures.get("codec").path("details").path("scores").size()).isEqualTo(8);
  }

  @Test
  void unknownFigureIsBadInputNamingTheFigures() {
    Cli.Result r = Cli.run("bench", "--only", "speed");
    assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("speed", "step-efficiency", "knowledge-reuse");
  }

  @Test
  void platformWithoutServiceJarsSaysWhatToBuild(@TempDir Path dir) {
    try (BenchPlatform p = new BenchPlatform(dir, dir.resolve("work"))) {
      assertThat(p.unavailable())
          .get()
          .asString()
          .startsWith("services not built (loss, evaluator, teacher, trainer")
          .contains("mvn -B -ntp install -DskipTests");
    }
  }
}

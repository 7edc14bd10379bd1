package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.cli.platform.BenchPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke tests of {@code retort bench --quick}: the figures run end to end on tiny shapes and
 * land in the table and the JSON report. Timings are not checked, only that each figure was
 * measured and carries its inputs. CI runs the fast figures; the whole quick run is nightly.
 */
class BenchCommandTest {

  /**
   * CI's smoke test: {@code retort bench --quick} with the in-process figures that take seconds
   * (the memory probe's fresh JVM and the JMH codec benchmarks, the slowest two, are in the nightly
   * test below).
   */
  @Test
  void quickBenchMeasuresTheComputeWireAndSolverFiguresAndWritesTheReport(@TempDir Path dir)
      throws Exception {
    Cli.Result r =
        runQuick(
            dir, "--only", "step-efficiency,step-split,teacher-efficiency,wire-size,emd-solve");

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
            "Where the step time goes");
    Map<String, JsonNode> figures = figures(dir);
    assertThat(figures)
        .containsOnlyKeys(
            "matmul",
            "step-efficiency",
            "step-split",
            "teacher-efficiency",
            "wire-size",
            "emd-solve");
    assertMeasured(figures, "step-efficiency", "teacher-efficiency", "wire-size", "emd-solve");
    for (String id : new String[] {"matmul", "step-split"}) {
      assertThat(figures.get(id).path("status").asText()).as(id).isEqualTo("info");
    }
    JsonNode step = figures.get("step-efficiency").path("details");
    assertThat(step.path("step_flops").path("formula").asText())
        .contains("B·L·N·(2·(4H² + 2HI) + 4LH)");
    assertThat(step.path("step_seconds").size()).isEqualTo(step.path("repetitions").asInt());
    // One paired matmul per timed step, and the same for the teacher's passes.
    assertThat(step.path("paired_matmul_seconds").size())
        .isEqualTo(step.path("repetitions").asInt());
    JsonNode teacher = figures.get("teacher-efficiency").path("details");
    assertThat(teacher.path("paired_matmul_seconds").size()).isPositive();
    assertThat(step.path("matmul").path("flops_per_second").asDouble()).isPositive();
    JsonNode split = figures.get("step-split").path("details");
    assertThat(split.path("shares").has("loss round trip")).isTrue();
    assertThat(split.path("profile_median_seconds").has("loss terms")).isTrue();
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
  }

  /**
   * The whole {@code retort bench --quick}: every in-process figure, the memory probe's JVM and the
   * JMH codec benchmarks included; about a minute on two busy cores, so nightly only
   * ({@code -Dnightly=true}).
   */
  @Test
  @EnabledIfSystemProperty(named = "retort.nightly", matches = "true")
  void wholeQuickBenchMeasuresEveryInProcessFigure(@TempDir Path dir) throws Exception {
    Cli.Result r = runQuick(dir);

    assertThat(r.out()).contains("Memory", "Tensor codec (JMH)", "Where the step time goes");
    Map<String, JsonNode> figures = figures(dir);
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
    assertMeasured(
        figures, "step-efficiency", "teacher-efficiency", "wire-size", "emd-solve", "memory");
    for (String id : new String[] {"matmul", "step-split", "codec"}) {
      assertThat(figures.get(id).path("status").asText()).as(id).isEqualTo("info");
    }
    for (String id : new String[] {"platform-overhead", "knowledge-reuse"}) {
      assertThat(figures.get(id).path("status").asText()).as(id).isEqualTo("skipped");
    }
    assertThat(figures.get("memory").path("details").path("samples").size()).isGreaterThan(2);
    assertThat(figures.get("codec").path("details").path("scores").size()).isEqualTo(8);
  }

  private static Cli.Result runQuick(Path dir, String... more) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "bench",
            "--quick",
            "--work",
            dir.resolve("work").toString(),
            "--json",
            dir.resolve("bench.json").toString()));
    args.addAll(List.of(more));
    Cli.Result r = Cli.run(args.toArray(new String[0]));
    assertThat(r.exit()).as(r.err()).isZero();
    return r;
  }

  private static Map<String, JsonNode> figures(Path dir) throws Exception {
    JsonNode report = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    Map<String, JsonNode> figures = new HashMap<>();
    report.path("figures").forEach(f -> figures.put(f.path("figure").asText(), f));
    return figures;
  }

  private static void assertMeasured(Map<String, JsonNode> figures, String... ids) {
    for (String id : ids) {
      JsonNode f = figures.get(id);
      assertThat(f.path("status").asText()).as(id + ": " + f).isEqualTo("measured");
      assertThat(f.path("value").asDouble()).as(id).isFinite();
      assertThat(f.path("reached").isBoolean()).as(id).isTrue();
      assertThat(f.path("target").path("threshold").isNumber()).as(id).isTrue();
    }
  }

  @Test
  void unknownFigureIsBadInputNamingTheFigures() {
    Cli.Result r = Cli.run("bench", "--only", "speed");
    assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("speed", "step-efficiency", "knowledge-reuse");
  }

  @Test
  void serviceThreadsForAnUnknownServiceIsBadInputNamingTheServices(@TempDir Path dir) {
    Cli.Result r =
        Cli.run("bench", "--work", dir.toString(), "--only", "emd-solve", "--service-threads", "techer=2");
    assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("techer=2", "teacher, trainer");
  }

  @Test
  void platformWithoutServiceJarsSaysWhatToBuild(@TempDir Path dir) {
    try (BenchPlatform p = new BenchPlatform(dir, dir.resolve("work"), 1, Map.of(), 0)) {
      assertThat(p.unavailable())
          .get()
          .asString()
          .startsWith("services not built (loss, evaluator, teacher, trainer")
          .contains("mvn -B -ntp install -DskipTests");
    }
  }
}

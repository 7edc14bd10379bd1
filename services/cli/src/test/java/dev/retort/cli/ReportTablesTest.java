package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.cli.MethodComparison.Outcome;
import dev.retort.cli.MethodComparison.Row;
import dev.retort.cli.MethodComparison.Status;
import dev.retort.core.run.JobResult;
import dev.retort.core.run.ModelScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTablesTest {
  private static final ModelScore TEACHER =
      new ModelScore(
          "teacher",
          "acc",
          Map.of("acc", 0.80, "f1", 0.70),
          Map.of("acc", 0.75),
          100_000_000,
          40.0);
  private static final ModelScore STUDENT =
      new ModelScore(
          "student", "acc", Map.of("acc", 0.72, "f1", 0.63), Map.of("acc", 0.60), 14_000_000, 10.0);

  @Test
  void distillTableShowsRetainedSharesSizeAndSpeedUp() {
    JobResult r = new JobResult("j", "bert-emd", TEACHER, STUDENT, Path.of("runs/j"), null);
    List<List<String>> rows = ScoreTables.comparison(r).rows();
    // 0.72 / 0.80 = 90%, 0.63 / 0.70 = 90%, 0.60 / 0.75 = 80%; 100M / 14M = 7.1x; 40 / 10 = 4x.
    assertThat(rows.get(0)).containsExactly("dev acc", "0.8000", "0.7200", "90.0% retained");
    assertThat(rows.get(1)).containsExactly("dev f1", "0.7000", "0.6300", "90.0% retained");
    assertThat(rows.get(2)).containsExactly("test acc", "0.7500", "0.6000", "80.0% retained");
    assertThat(rows.get(3)).containsExactly("parameters", "100.00M", "14.00M", "7.1x smaller");
    assertThat(rows.get(4))
        .containsExactly("CPU latency (ms, batch 1)", "40.0", "10.0", "4.0x faster");
  }

  @Test
  void comparisonTableHasTheTeacherThenEveryMethod(@TempDir Path dir) throws IOException {
    Outcome o =
        new Outcome(
            TEACHER,
            "checkpoint:/t/best",
            List.of(
                new Row("logits-kd", Status.OK, STUDENT, 83.4, dir.resolve("logits-kd"), null),
                new Row(
                    "hrkd",
                    Status.BAD_INPUT,
                    null,
                    0.01,
                    dir.resolve("hrkd"),
                    "HRKD needs at least two domains")));
    ComparisonReport report = new ComparisonReport(o);
    List<List<String>> rows = report.table().rows();
    assertThat(rows.get(0))
        .containsExactly("teacher", "0.8000", "0.7500", "100.0%", "100.00M", "40.0", "");
    // Retained uses the headline (test) metric: 0.60 / 0.75.
    assertThat(rows.get(1))
        .containsExactly("logits-kd", "0.7200", "0.6000", "80.0%", "14.00M", "10.0", "1m 23s");
    assertThat(rows.get(2).subList(0, 3)).containsExactly("hrkd", "not applicable", Formats.NONE);
    assertThat(report.notes()).isEqualTo("hrkd: HRKD needs at least two domains\n");

    report.write(dir);
    assertThat(Files.readString(dir.resolve("compare.md")))
        .contains("| logits-kd | 0.7200 | 0.6000 | 80.0% |");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("compare.json").toFile());
    assertThat(json.path("methods").get(0).path("retained").asDouble())
        .isEqualTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(json.path("methods").get(1).path("status").asText()).isEqualTo("bad_input");
  }
}

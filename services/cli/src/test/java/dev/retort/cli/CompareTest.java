package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest {
  @Test
  void compareRunsOneTeacherAndEveryMethod(@TempDir Path dir) throws IOException {
    Path job = Cli.tinyJob(dir, "bert-emd");
    Path out = dir.resolve("cmp");
    Cli.Result r =
        Cli.run(
            "compare", job.toString(), "--methods", "none,logits-kd", "--output", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("(?m)^teacher\\s+0\\.\\d{4}")
        .containsPattern("(?m)^none\\s+0\\.\\d{4}")
        .containsPattern("(?m)^logits-kd\\s+0\\.\\d{4}");
    assertThat(out.resolve("teacher/teacher/done")).exists();
    String md = Files.readString(out.resolve("compare.md"));
    assertThat(md)
        .contains("| none |")
        .contains("| logits-kd |")
        .contains("checkpoint:" + out.resolve("teacher/teacher/best"));
    JsonNode json = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
    assertThat(json.path("methods")).hasSize(2);
    for (JsonNode m : json.path("methods")) {
      assertThat(m.path("status").asText()).isEqualTo("ok");
      // Every method distilled from the one fine-tuned teacher, not its own.
      JsonNode jobJson =
          new ObjectMapper()
              .readTree(Path.of(m.path("run_dir").asText()).resolve("job.json").toFile());
      assertThat(jobJson.path("teacher").path("model").asText())
          .isEqualTo("checkpoint:" + out.resolve("teacher/teacher/best"));
      assertThat(jobJson.path("teacher").path("finetune").asBoolean()).isFalse();
      assertThat(jobJson.path("distill").path("method").asText())
          .isEqualTo(m.path("method").asText());
      assertThat(jobJson.path("seed").asLong()).isEqualTo(7);
    }
  }
}

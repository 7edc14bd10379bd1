package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobFilesTest {
  private static final String JOB =
      String.join(
          "\n",
          "teacher:",
          "  model: bert-base-uncased",
          "  finetune: true",
          "distill:",
          "  method: bert-emd",
          "  training:",
          "    lr: 5e-5",
          "task:",
          "  buckets: [16, 32]",
          "");

  @Test
  void overridesReplaceKeysAndKeepEverythingElse() {
    ConfigValues job = JobFiles.parse(JOB, "job.yaml");
    ConfigValues d =
        JobFiles.withOverrides(
            job,
            Map.of(
                "distill.method",
                "pkd",
                "teacher.model",
                "checkpoint:/t/best",
                "teacher.finetune",
                false,
                "output.dir",
                "/o/pkd"));
    assertThat(d.str("distill.method")).isEqualTo("pkd");
    assertThat(d.str("teacher.model")).isEqualTo("checkpoint:/t/best");
    assertThat(d.bool("teacher.finetune")).isFalse();
    assertThat(d.str("output.dir")).isEqualTo("/o/pkd");
    assertThat(d.doubleValue("distill.training.lr")).isEqualTo(5e-5);
    assertThat(d.integers("task.buckets")).containsExactly(16L, 32L);
    assertThat(d.integer("seed")).isEqualTo(42L);
    assertThat(d.source()).startsWith("job.yaml (with ").contains("distill.method=pkd");
  }

  @Test
  void defaultsStayDefaultsAfterOverriding() {
    ConfigValues d =
        JobFiles.withOverrides(JobFiles.parse(JOB, "job.yaml"), Map.of("distill.method", "pkd"));
    assertThat(d.isSet("distill.method")).isTrue();
    assertThat(d.isSet("distill.training.lr")).isTrue();
    assertThat(d.isSet("student.preset")).isFalse();
    assertThat(d.isSet("seed")).isFalse();
  }

  @Test
  void anOverrideIsCheckedLikeAKeyInAFile() {
    ConfigValues job = JobFiles.parse(JOB, "job.yaml");
    assertThatThrownBy(() -> JobFiles.withOverrides(job, Map.of("distill.methd", "pkd")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.methd")
        .hasMessageContaining("unknown key");
    assertThatThrownBy(() -> JobFiles.withOverrides(job, Map.of("distill.method", "nope")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("not one of");
  }

  @Test
  void nameComesFromTheKeyElseTheFileName() {
    assertThat(JobFiles.name(JobFiles.parse(JOB, "x"), Path.of("dir/my-job.yaml")))
        .isEqualTo("my-job");
    assertThat(JobFiles.name(JobFiles.parse("name: given\n" + JOB, "x"), Path.of("my-job.yaml")))
        .isEqualTo("given");
  }
}

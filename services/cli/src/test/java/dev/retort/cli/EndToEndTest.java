package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.model.StateDicts;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelDirectory;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.CheckpointIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code retort distill} on a tiny job, then the commands that read its run directory. */
class EndToEndTest {
  @TempDir static Path dir;
  static Path job;
  static Path run;
  static Cli.Result distill;

  @BeforeAll
  static void distillTinyJob() throws IOException {
    job = Cli.tinyJob(dir, "logits-kd");
    run = dir.resolve("run");
    distill = Cli.run("distill", job.toString(), "--output", run.toString());
  }

  @Test
  void distillFinishesWithResultExportAndTable() throws IOException {
    assertThat(distill.exit()).as(distill.err()).isZero();
    assertThat(run.resolve("result.json")).isRegularFile();
    assertThat(run.resolve("events.jsonl")).isRegularFile();
    assertThat(distill.out())
        .contains("dev acc", "test acc", "retained", "parameters", "CPU latency", "faster")
        .contains("Student model: " + run.resolve("export"));
    JsonNode result = new ObjectMapper().readTree(run.resolve("result.json").toFile());
    assertThat(result.path("method").asText()).isEqualTo("logits-kd");
    assertThat(distill.err())
        .contains("teacher-finetune ended at step 4/4", "distill ended at step 4/4");
  }

  @Test
  void exportReloadsAsAModelDirectory() {
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel model = ModelDirectory.read(run.resolve("export"), m);
      assertThat(model.labels()).containsExactly("negative", "neutral", "positive");
      assertThat(model.config().numLayers()).isEqualTo(2);
    }
  }

  @Test
  void runningAgainResumesAndSaysSo() {
    Cli.Result again = Cli.run("distill", job.toString(), "--output", run.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err())
        .contains("teacher already fine-tuned")
        .contains("resuming distill from step 4");
  }

  @Test
  void evalScoresTheExportOnTheTestSplit() {
    Cli.Result r =
        Cli.run(
            "eval", run.resolve("export").toString(), "--job", job.toString(), "--split", "test");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("test split (64 examples)")
        .contains("acc (selection)")
        .contains("parameters")
        .contains("CPU latency");
  }

  @Test
  void exportWritesAReloadableCopyFromARunOrACheckpoint() throws IOException {
    Path fromRun = dir.resolve("exported");
    Cli.Result r = Cli.run("export", run.toString(), fromRun.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Path checkpoint;
    try (Stream<Path> s = Files.list(run.resolve("student/checkpoints"))) {
      checkpoint = s.sorted().reduce((a, b) -> b).orElseThrow();
    }
    Path fromCheckpoint = dir.resolve("from-checkpoint");
    Cli.Result c = Cli.run("export", checkpoint.toString(), fromCheckpoint.toString());
    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(
            new ObjectMapper()
                .readTree(fromCheckpoint.resolve("retort-head.json").toFile())
                .path("source")
                .asText())
        .isEqualTo(checkpoint + " (step 4)");
    try (NDManager m = NDManager.newBaseManager()) {
      assertSameWeights(
          StateDicts.toStateDict(ModelDirectory.read(fromRun, m).model(), "run"),
          StateDicts.toStateDict(
              ModelDirectory.read(run.resolve("student/best"), m).model(), "best"));
      assertSameWeights(
          StateDicts.toStateDict(ModelDirectory.read(fromCheckpoint, m).model(), "exported"),
          CheckpointIo.read(checkpoint).model());
    }
  }

  private static void assertSameWeights(StateDict actual, StateDict expected) {
    assertThat(actual.names()).containsExactlyInAnyOrderElementsOf(expected.names());
    for (String n : expected.names()) {
      // Arrays.equals: AssertJ's element diff of a million floats would take minutes on a mismatch.
      assertThat(Arrays.equals(actual.get(n).toFloats(), expected.get(n).toFloats()))
          .as(n)
          .isTrue();
    }
  }

  @Test
  void finetuneReusesTheRunsTeacherAndPrintsItsDirectory() {
    Cli.Result r = Cli.run("finetune", job.toString(), "--output", run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("teacher already fine-tuned");
    assertThat(r.out())
        .contains("Best teacher: " + run.resolve("teacher/best"))
        .contains("acc (selection)");
  }
}

package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {
  @TempDir Path dir;

  private static void assertOneLineBadInput(Cli.Result r, String... fragments) {
    assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err().strip())
        .doesNotContain("\n")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(r.err()).contains(fragments);
  }

  @Test
  void missingJobFileIsOneLineAndExitTwo() {
    Path missing = dir.resolve("nope.yaml");
    assertOneLineBadInput(
        Cli.run("distill", missing.toString()), missing.toString(), "does not exist");
  }

  @Test
  void unknownKeyNamesFileLineAndKey() throws IOException {
    Path job = dir.resolve("bad.yaml");
    Files.writeString(job, "teacher:\n  model: preset:tiny\n  finetuen: true\n");
    assertOneLineBadInput(
        Cli.run("distill", job.toString()),
        job + ":3:",
        "teacher.finetuen",
        "unknown key",
        "teacher.finetune");
  }

  @Test
  void unknownMethodInTheJobIsBadInput() throws IOException {
    Path job = dir.resolve("bad.yaml");
    Files.writeString(job, "teacher:\n  model: preset:tiny\ndistill:\n  method: bert-emb\n");
    assertOneLineBadInput(
        Cli.run("finetune", job.toString()), job + ":4:", "distill.method", "bert-emd");
  }

  @Test
  void unknownMethodInCompareIsBadInput() throws IOException {
    Path job = Cli.tinyJob(dir, "logits-kd");
    assertOneLineBadInput(
        Cli.run(
            "compare",
            job.toString(),
            "--methods",
            "none,distilbert",
            "--output",
            dir.resolve("c").toString()),
        "--methods",
        "unknown method 'distilbert'");
    assertThat(dir.resolve("c")).doesNotExist();
  }

  @Test
  void verbosePrintsTheStackTraceToo() {
    Cli.Result r =
        Cli.run(
            "eval", dir.toString(), "--job", dir.resolve("missing.yaml").toString(), "--verbose");
    assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("does not exist").contains("RetortException").contains("\tat ");
  }

  @Test
  void exportFromSomethingThatIsNoModelIsBadInput() {
    assertOneLineBadInput(
        Cli.run("export", dir.toString(), dir.resolve("out").toString()),
        "neither a model directory");
  }

  @Test
  void freshRefusesToDeleteADirectoryThatIsNoRun() throws IOException {
    Files.writeString(dir.resolve("precious.txt"), "keep me");
    Path job = Cli.tinyJob(dir.resolve("jobs"), "logits-kd");
    assertOneLineBadInput(
        Cli.run("distill", job.toString(), "--output", dir.toString(), "--fresh"), "no job.json");
    assertThat(dir.resolve("precious.txt")).exists();
  }

  @Test
  void unknownExampleIsBadInput() {
    assertOneLineBadInput(Cli.run("examples", "nope"), "no such example", "sample-emd");
  }
}

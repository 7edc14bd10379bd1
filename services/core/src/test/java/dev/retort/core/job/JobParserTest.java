package dev.retort.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobParserTest {
  private final JobParser parser = new JobParser(JobSchema.root());

  @Test
  void defaultsAreFilledInAndExplicitKeysRemembered() {
    ConfigValues v = parser.parse("teacher:\n  model: all-minilm-l6-v2\ndistill:\n  training:\n    lr: 5e-5\n", "job.yaml");
    assertThat(v.str("teacher.model")).isEqualTo("all-minilm-l6-v2");
    assertThat(v.doubleValue("distill.training.lr")).isEqualTo(5e-5);
    assertThat(v.isSet("distill.training.lr")).isTrue();
    assertThat(v.intValue("distill.training.batch-size")).isEqualTo(32);
    assertThat(v.isSet("distill.training.batch-size")).isFalse();
    assertThat(v.str("distill.method")).isEqualTo("bert-emd");
    assertThat(v.doubleValue("distill.emd.beta")).isEqualTo(0.01);
    assertThat(v.integers("task.buckets")).as("unset: the padding follows the method").isNull();
    assertThat(v.str("distill.training.optimizer")).isEqualTo("auto");
  }

  @Test
  void unknownKeyNamesFileLineKeyAndSuggestsTheClosest() {
    String yaml = "teacher:\n  model: x\ndistill:\n  emd:\n    bta: 0.1\n";
    assertThatThrownBy(() -> parser.parse(yaml, "job.yaml"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("job.yaml:5:5")
        .hasMessageContaining("'distill.emd.bta'")
        .hasMessageContaining("unknown key")
        .hasMessageContaining("Did you mean 'distill.emd.beta'");
  }

  @Test
  void wrongTypeNamesTheKeyAndTheValue() {
    String yaml = "teacher:\n  model: x\ndistill:\n  training:\n    batch-size: lots\n";
    assertThatThrownBy(() -> parser.parse(yaml, "job.yaml"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("job.yaml:5:17")
        .hasMessageContaining("'distill.training.batch-size'")
        .hasMessageContaining("expected an integer, got 'lots'");
  }

  @Test
  void aChoiceNamedByOneOfItsPartsSuggestsTheWholeName() {
    String yaml = "teacher:\n  model: x\ndistill:\n  method: emd\n";
    assertThatThrownBy(() -> parser.parse(yaml, "job.yaml"))
        .hasMessageContaining("'emd' is not one of")
        .hasMessageEndingWith("Did you mean 'bert-emd'?");
  }

  @Test
  void choiceOutsideItsListSuggestsAValidOne() {
    String yaml = "teacher:\n  model: x\ndistill:\n  method: bert-emdd\n";
    assertThatThrownBy(() -> parser.parse(yaml, "job.yaml"))
        .hasMessageContaining("'bert-emdd' is not one of")
        .hasMessageContaining("Did you mean 'bert-emd'");
  }

  @Test
  void missingRequiredKeyIsNamed() {
    assertThatThrownBy(() -> parser.parse("seed: 1\n", "job.yaml"))
        .hasMessageContaining("'teacher.model'")
        .hasMessageContaining("required key is missing");
  }

  @Test
  void malformedYamlReportsTheLine() {
    assertThatThrownBy(() -> parser.parse("teacher:\n  model: [unclosed\n", "job.yaml"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("job.yaml:")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void sectionGivenAsScalarIsRejected() {
    assertThatThrownBy(() -> parser.parse("teacher: bert\n", "job.yaml"))
        .hasMessageContaining("'teacher'")
        .hasMessageContaining("expected a section");
  }

  @Test
  void jsonOfATrainingRequestParsesToo() {
    ConfigValues v =
        parser.parse("{\"teacher\": {\"model\": \"m\"}, \"distill\": {\"method\": \"tinybert\", \"weights\": {\"att\": 2}}}", "request j1");
    assertThat(v.str("distill.method")).isEqualTo("tinybert");
    assertThat(v.doubleValue("distill.weights.att")).isEqualTo(2.0);
  }

  @Test
  void missingFileSaysSo(@TempDir Path dir) {
    assertThatThrownBy(() -> parser.parse(dir.resolve("nope.yaml")))
        .hasMessageContaining("nope.yaml")
        .hasMessageContaining("does not exist");
  }

  @Test
  void treeRoundTripsThroughJson(@TempDir Path dir) throws Exception {
    ConfigValues v = parser.parse("teacher:\n  model: m\ntask:\n  labels: [neg, pos]\n", "job.yaml");
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(v.asTree());
    ConfigValues again = parser.parse(json, "round trip");
    assertThat(again.strings("task.labels")).isEqualTo(List.of("neg", "pos"));
    assertThat(again.asTree()).isEqualTo(v.asTree());
  }

  @Test
  void referencePageIsCurrent() throws Exception {
    Path page = Path.of(System.getProperty("user.dir")).resolve("JOB-FILE.md");
    String expected = JobReference.markdown();
    if (!Files.exists(page) || Boolean.getBoolean("retort.regenerate")) {
      Files.writeString(page, expected);
    }
    assertThat(Files.readString(page))
        .as("services/core/JOB-FILE.md is stale: run the tests with -Dretort.regenerate=true")
        .isEqualTo(expected);
  }
}

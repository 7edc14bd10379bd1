package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.ExprParser;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.StateDicts;
import dev.retort.core.run.EfficientBertDirectory;
import dev.retort.core.run.EfficientBertStudent;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.LoadOptions;
import dev.retort.core.weights.TokenizerFiles;
import dev.retort.core.weights.WeightLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retort eval} and {@code retort export} on the run directory of an EfficientBERT student
 * (searched FFNs), which the BERT model factory cannot read: eval scores it as its distillation run
 * did, export copies it with the files transformers needs, and a student of another task is refused
 * with a clear error.
 */
class EfficientBertCommandsTest {
  private static final List<String> LABELS = List.of("negative", "neutral", "positive");

  @TempDir static Path dir;
  static Path job;
  static Path run;
  static StateDict written;
  static TokenizerFiles tokenizer;

  @BeforeAll
  static void writeAStudentRun() throws IOException {
    job = Cli.tinyJob(dir, "logits-kd");
    tokenizer = WeightLoader.load("all-minilm-l6-v2", LoadOptions.defaults()).tokenizer();
    run = dir.resolve("eb-run");
    written = writeStudent(run.resolve("student").resolve("best"), HeadConfig.forClassification(3), LABELS);
  }

  @Test
  void evalScoresAnEfficientBertRunOnItsTask() {
    Cli.Result r = Cli.run("eval", run.toString(), "--job", job.toString(), "--split", "test");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("test split (64 examples)")
        .contains("acc (selection)")
        .contains("parameters")
        .contains("CPU latency");
  }

  @Test
  void exportCopiesTheStudentWithTheFilesTransformersNeeds() throws IOException {
    Path out = dir.resolve("exported");

    Cli.Result r = Cli.run("export", run.toString(), out.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("EfficientBERT").contains("trust_remote_code=True");
    assertThat(new ObjectMapper().readTree(out.resolve("config.json").toFile()).path("model_type").asText())
        .isEqualTo("retort_efficientbert");
    assertThat(out.resolve("modeling_retort_efficientbert.py")).isRegularFile();
    try (NDManager m = NDManager.newBaseManager()) {
      StateDict copy = StateDicts.toStateDict(EfficientBertDirectory.read(out, m).model(), "copy");
      assertThat(copy.names()).containsExactlyInAnyOrderElementsOf(written.names());
      for (String n : written.names()) {
        assertThat(Arrays.equals(copy.get(n).toFloats(), written.get(n).toFloats())).as(n).isTrue();
      }
    }
  }

  @Test
  void evalRefusesAStudentDistilledForAnotherTask() throws IOException {
    Path binary = dir.resolve("binary");
    writeStudent(binary, HeadConfig.forClassification(2), List.of("no", "yes"));

    Cli.Result r = Cli.run("eval", binary.toString(), "--job", job.toString());

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("predicts 2 labels but the task").contains("has 3");
  }

  /** Writes a small randomly initialised EfficientBERT student on MiniLM's vocabulary. */
  private static StateDict writeStudent(Path where, HeadConfig head, List<String> labels)
      throws IOException {
    EfficientBertArch arch =
        EfficientBertArch.builder()
            .setHiddenSize(24)
            .setLayerExpressions(
                List.of(
                    ExprParser.parse(EfficientBertArch.PUBLISHED_FFN.get(0)),
                    ExprParser.parse(EfficientBertArch.PUBLISHED_FFN.get(5))))
            .optNumHeads(2)
            .optEmbeddingSize(8)
            .optFfnHiddenSize(48)
            .optVocabSize(tokenizer.vocab().size())
            .optMaxPositions(64)
            .optFitSize(12)
            .build();
    try (NDManager m = NDManager.newBaseManager()) {
      EfficientBertModel model = new EfficientBertModel(arch, AutoBertOptions.reference(), head);
      model.initializeParameters(m);
      EfficientBertDirectory.write(
          where, new EfficientBertStudent(model, AutoBertOptions.reference(), tokenizer, labels, "test"));
      return StateDicts.toStateDict(model, "written");
    }
  }
}

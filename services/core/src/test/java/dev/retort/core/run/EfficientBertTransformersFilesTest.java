package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.ExprParser;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.SafetensorsReader;
import dev.retort.core.weights.TokenizerFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link EfficientBertDirectory#write} adds for Hugging Face transformers, checked without
 * Python: the model code, a {@code config.json} whose {@code auto_map} names classes that code
 * defines and whose per-layer stacks and widths are those of the weights, the tokenizer files and
 * the safetensors {@code format} metadata. {@code EfficientBertTransformersParityTest} runs the
 * code in transformers when a Python is given.
 */
class EfficientBertTransformersFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private StateDict written;
  private EfficientBertArch arch;
  private List<String> vocab;

  @BeforeEach
  void writeAStudent() throws Exception {
    arch =
        EfficientBertArch.builder()
            .setHiddenSize(24)
            .setLayerExpressions(
                List.of(
                    ExprParser.parse(EfficientBertArch.PUBLISHED_FFN.get(0)),
                    ExprParser.parse(EfficientBertArch.PUBLISHED_FFN.get(5))))
            .optNumHeads(2)
            .optEmbeddingSize(8)
            .optFfnHiddenSize(48)
            .optVocabSize(16)
            .optMaxPositions(32)
            .optFitSize(12)
            .build();
    vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
    for (int i = vocab.size(); i < 16; i++) {
      vocab.add("w" + i);
    }
    HeadConfig head = HeadConfig.forClassification(2).withPooledActivation(PooledActivation.RELU);
    try (NDManager m = NDManager.newBaseManager()) {
      EfficientBertModel model = new EfficientBertModel(arch, AutoBertOptions.reference(), head);
      model.initializeParameters(m);
      written = StateDicts.toStateDict(model, "test");
      EfficientBertDirectory.write(
          dir,
          new EfficientBertStudent(
              model,
              AutoBertOptions.reference(),
              new TokenizerFiles(vocab, true, null),
              List.of("negative", "positive"),
              "test"));
    }
  }

  @Test
  void configNamesClassesTheBundledModelCodeDefines() throws Exception {
    JsonNode c = JSON.readTree(dir.resolve("config.json").toFile());
    String code = Files.readString(dir.resolve(EfficientBertTransformersFiles.MODELING_FILE));

    assertThat(c.get("model_type").asText()).isEqualTo("retort_efficientbert");
    assertThat(c.get("architectures").get(0).asText())
        .isEqualTo("RetortEfficientBertForSequenceClassification");
    assertThat(c.get("auto_map").size()).isEqualTo(3);
    c.get("auto_map")
        .forEach(
            target -> {
              String[] parts = target.asText().split("\\.");
              assertThat(parts[0] + ".py").isEqualTo(EfficientBertTransformersFiles.MODELING_FILE);
              assertThat(code).contains("class " + parts[1] + "(");
            });
    assertThat(code).contains("model_type = \"retort_efficientbert\"");
  }

  @Test
  void configDescribesTheLayersTheWeightsHold() throws Exception {
    JsonNode c = JSON.readTree(dir.resolve("config.json").toFile());

    assertThat(c.get("num_hidden_layers").asInt()).isEqualTo(2);
    assertThat(c.get("ffn_expressions").get(1).asText())
        .isEqualTo(EfficientBertArch.PUBLISHED_FFN.get(5));
    for (int l = 0; l < 2; l++) {
      int stacks = 0;
      while (written.contains("encoder." + l + ".all_ffn." + stacks + ".dense1.weight")) {
        stacks++;
      }
      long inner = written.require("encoder." + l + ".all_ffn.0.dense1.weight").shape()[0];
      assertThat(c.get("ffn_stacks").get(l).asInt()).as("layer %d stacks", l).isEqualTo(stacks);
      assertThat(c.get("ffn_inner_sizes").get(l).asLong()).as("layer %d width", l).isEqualTo(inner);
    }
    assertThat(c.get("ffn_stacks").toString()).isEqualTo("[4,2]"); // linear4_2 and linear2_3
    assertThat(c.get("ffn_inner_sizes").toString()).isEqualTo("[24,16]"); // 48/2 and 48/3
    assertThat(c.get("fit_size").asInt()).isEqualTo(12);
    assertThat(c.get("pooled_activation").asText()).isEqualTo("relu");
    assertThat(c.get("id2label").get("1").asText()).isEqualTo("positive");
    assertThat(c.get("label2id").get("negative").asInt()).isZero();
  }

  @Test
  void weightsAndTokenizerFilesAreThoseTransformersReads() throws Exception {
    StateDict onDisk = SafetensorsReader.read(dir.resolve("model.safetensors"));
    JsonNode tok = JSON.readTree(dir.resolve("tokenizer_config.json").toFile());

    assertThat(onDisk.metadata()).containsEntry("format", "pt");
    assertThat(onDisk.names()).containsExactlyInAnyOrderElementsOf(written.names());
    assertThat(tok.get("tokenizer_class").asText()).isEqualTo("BertTokenizer");
    assertThat(tok.get("do_lower_case").asBoolean()).isTrue();
    assertThat(tok.get("model_max_length").asInt()).isEqualTo(32);
    assertThat(dir.resolve("special_tokens_map.json")).exists();
    assertThat(Files.readAllLines(dir.resolve("vocab.txt"))).hasSize(16);
  }

  @Test
  void retortStillReadsTheDirectoryAsAnEfficientBertStudent() {
    try (NDManager m = NDManager.newBaseManager()) {
      EfficientBertStudent back = EfficientBertDirectory.read(dir, m);

      assertThat(back.model().head().pooledActivation()).isEqualTo(PooledActivation.RELU);
      assertThat(StateDicts.toStateDict(back.model(), "back").names())
          .containsExactlyInAnyOrderElementsOf(written.names());
    }
  }

  @Test
  void aStudentWithOneHeadPerDomainIsRefusedBeforeAnythingIsWritten() {
    Path other = dir.resolve("multi");
    try (NDManager m = NDManager.newBaseManager()) {
      EfficientBertModel model =
          new EfficientBertModel(
              arch, AutoBertOptions.reference(), HeadConfig.forClassification(2).withDomains(List.of("a", "b")));
      model.initializeParameters(m);
      EfficientBertStudent s =
          new EfficientBertStudent(model, AutoBertOptions.reference(), new TokenizerFiles(vocab, true, null), List.of("n", "p"), "test");

      assertThatThrownBy(() -> EfficientBertDirectory.write(other, s))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("one head per domain");
    }
    assertThat(other).doesNotExist();
  }

  @Test
  void readingItAsABertDirectorySaysItIsAnEfficientBertStudent() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> ModelDirectory.read(dir, m))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining("EfficientBERT student")
          .hasMessageContaining("trust_remote_code=True");
    }
  }
}

package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.model.BertConfig;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HalfFloats;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfModelDirectoryTest {
  @TempDir Path dir;

  static final BertConfig C = TinyModels.CONFIG;
  static final List<String> LABELS = List.of("neg", "neutral", "pos");

  /** A fine-tuned tiny classifier as the model code would hand it over (no bert. prefix). */
  private static StateDict classifier() {
    StateDict sd = TinyModels.weights(C, true, true).withPrefixRemoved("bert.");
    StateDict withHeads = TinyModels.weights(C, true, true);
    withHeads
        .asMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith("cls.")) {
                sd.put(k, v);
              }
            });
    sd.put(
        "classifier.weight",
        HostTensor.ofFloats(
            new long[] {3, 4}, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
    sd.put("classifier.bias", HostTensor.ofFloats(new long[] {3}, new float[] {-1, 0, 1}));
    sd.put("projection.weight", HostTensor.ofFloats(new long[] {1}, new float[] {0}));
    return sd;
  }

  @Test
  void writtenDirectoryReadsBackWithConfigTensorsAndVocabulary() throws IOException {
    StateDict in = classifier();
    TokenizerFiles tok = new TokenizerFiles(TinyModels.VOCAB, false, null);
    HfModelDirectoryWriter.write(dir, C, in, LABELS, tok);

    PretrainedWeights w = HfModelDirectory.load(dir);
    HfConfig config = HfModelDirectory.readConfig(dir);

    assertThat(w.config()).isEqualTo(C);
    assertThat(config.labels()).isEqualTo(LABELS);
    assertThat(config.problemType()).isEqualTo(HfConfig.ProblemType.SINGLE_LABEL);
    assertThat(w.weights().names())
        .allMatch(n -> n.startsWith("bert.") || n.startsWith("classifier."));
    assertThat(w.weights().size()).isEqualTo(BertLayout.encoderShapes(C).size() + 2 + 2);
    in.asMap()
        .forEach(
            (k, v) -> {
              String name = HfNames.isEncoderName(k) ? "bert." + k : k;
              if (name.startsWith("bert.") || name.startsWith("classifier.")) {
                assertThat(w.weights().get(name)).as(name).isEqualTo(v);
              }
            });
    assertThat(w.tokenizer().vocab()).isEqualTo(TinyModels.VOCAB);
    assertThat(w.tokenizer().lowercase()).isFalse();
    assertThat(SafetensorsReader.read(dir.resolve("model.safetensors")).metadata())
        .containsEntry("format", "pt");
    var tc = new ObjectMapper().readTree(dir.resolve("tokenizer_config.json").toFile());
    assertThat(tc.get("do_lower_case").asBoolean()).isFalse();
    assertThat(tc.get("model_max_length").asInt()).isEqualTo(8);
    var st = new ObjectMapper().readTree(dir.resolve("special_tokens_map.json").toFile());
    assertThat(st.get("mask_token").asText()).isEqualTo("[MASK]");
  }

  @Test
  void regressionExportHasOneOutput() throws IOException {
    StateDict sd = classifier();
    sd.put("classifier.weight", HostTensor.ofFloats(new long[] {1, 4}, new float[4]));
    sd.put("classifier.bias", HostTensor.ofFloats(new long[] {1}, new float[1]));
    HfModelDirectoryWriter.write(
        dir, C, sd, List.of("score"), new TokenizerFiles(TinyModels.VOCAB, true, null));
    assertThat(HfModelDirectory.readConfig(dir).problemType())
        .isEqualTo(HfConfig.ProblemType.REGRESSION);
  }

  @Test
  void classifierShapeMustMatchTheLabels() {
    TokenizerFiles tok = new TokenizerFiles(TinyModels.VOCAB, true, null);
    assertThatThrownBy(
            () -> HfModelDirectoryWriter.write(dir, C, classifier(), List.of("a", "b"), tok))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("classifier.weight")
        .hasMessageContaining("[2, 4]");
    StateDict noPooler = classifier();
    noPooler.remove("pooler.dense.weight");
    noPooler.remove("pooler.dense.bias");
    assertThatThrownBy(() -> HfModelDirectoryWriter.write(dir, C, noPooler, LABELS, tok))
        .hasMessageContaining("bert.pooler.dense.weight");
  }

  @Test
  void bareBertModelCheckpointIsNormalised() throws IOException {
    StateDict bare = TinyModels.weights(C, false, false).withPrefixRemoved("bert.");
    HostTensor gamma = bare.remove("embeddings.LayerNorm.weight");
    bare.put("embeddings.LayerNorm.gamma", gamma);
    float[] v = bare.get("embeddings.word_embeddings.weight").toFloats();
    ByteBuffer half = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      half.putShort(HalfFloats.toF16(x));
    }
    bare.put(
        "embeddings.word_embeddings.weight",
        new HostTensor(DType.F16, new long[] {12, 4}, half.flip()));
    bare.put("embeddings.position_ids", HostTensor.ofLongs(new long[] {1, 8}, new long[8]));
    SafetensorsWriter.write(dir.resolve("model.safetensors"), bare);
    HfConfigJson.write(dir.resolve("config.json"), HfConfig.encoder(C));
    Files.writeString(dir.resolve("tokenizer.json"), TinyModels.tokenizerJson(true));

    PretrainedWeights w = HfModelDirectory.load(dir);

    assertThat(w.weights().names()).containsExactlyElementsOf(BertLayout.encoderShapes(C).keySet());
    assertThat(w.weights().get("bert.embeddings.LayerNorm.weight")).isEqualTo(gamma);
    assertThat(w.weights().get("bert.embeddings.word_embeddings.weight").dtype())
        .isEqualTo(DType.F32);
    assertThat(w.tokenizer().tokenizerJson()).isEqualTo(dir.resolve("tokenizer.json"));
  }

  @Test
  void shardedSafetensorsAreMerged() throws IOException {
    StateDict all = TinyModels.weights(C, true, false);
    StateDict a = new StateDict("a");
    StateDict b = new StateDict("b");
    StringBuilder map = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
    int i = 0;
    for (var e : all.asMap().entrySet()) {
      String shard =
          i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
      (i % 2 == 0 ? a : b).put(e.getKey(), e.getValue());
      map.append(i++ == 0 ? "" : ",")
          .append('"')
          .append(e.getKey())
          .append("\":\"")
          .append(shard)
          .append('"');
    }
    SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), a);
    SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), b);
    Files.writeString(dir.resolve("model.safetensors.index.json"), map.append("}}").toString());
    HfConfigJson.write(dir.resolve("config.json"), HfConfig.encoder(C));
    new TokenizerFiles(TinyModels.VOCAB, true, null).writeVocabTxt(dir.resolve("vocab.txt"));

    PretrainedWeights w = HfModelDirectory.load(dir);

    assertThat(w.weights().names()).containsExactlyElementsOf(all.names());
    all.asMap().forEach((k, v) -> assertThat(w.weights().get(k)).isEqualTo(v));
    assertThat(w.tokenizer().lowercase()).isTrue();
  }

  @Test
  void pytorchBinOnlyDirectoryExplainsTheConversion() throws IOException {
    HfConfigJson.write(dir.resolve("config.json"), HfConfig.encoder(C));
    Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> HfModelDirectory.load(dir))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("pytorch_model.bin")
        .hasMessageContaining("only safetensors")
        .hasMessageContaining("safe_serialization=True");
  }

  @Test
  void weightsThatDoNotMatchTheConfigNameTheTensor() throws IOException {
    SafetensorsWriter.write(dir.resolve("model.safetensors"), TinyModels.weights(C, false, false));
    HfConfigJson.write(
        dir.resolve("config.json"), HfConfig.encoder(C.toBuilder().setIntermediateSize(8).build()));
    new TokenizerFiles(TinyModels.VOCAB, true, null).writeVocabTxt(dir.resolve("vocab.txt"));
    assertThatThrownBy(() -> HfModelDirectory.load(dir))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("bert.encoder.layer.0.intermediate.dense.weight")
        .hasMessageContaining("[6, 4]");
  }

  @Test
  void directoryWithoutConfigIsNotAModel() {
    assertThatThrownBy(() -> HfModelDirectory.load(dir)).hasMessageContaining("no config.json");
  }
}

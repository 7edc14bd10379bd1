package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.model.BertConfig;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the real MiniLM and bge-small ONNX exports from their langchain4j jars, once each. */
class OnnxJarsTest {
  @TempDir static Path cache;
  static PretrainedWeights miniLm;
  static OnnxModel miniLmRaw;
  static PretrainedWeights bge;

  @BeforeAll
  static void load() throws IOException {
    Path jar = TestJars.jarOf(TestJars.MINILM);
    MavenArtifacts maven =
        MavenArtifacts.builder()
            .optRepository(TestJars.repositoryOf(jar, "dev.langchain4j"))
            .optFetch(false)
            .build();
    LoadOptions o = LoadOptions.builder().optCacheDir(cache).optMaven(maven).build();
    miniLm = WeightLoader.load("all-minilm-l6-v2", o); // alias -> Maven -> jar dispatch
    try (ZipFile z = new ZipFile(jar.toFile());
        InputStream in = z.getInputStream(z.getEntry(TestJars.MINILM))) {
      miniLmRaw = OnnxModelReader.read(ByteBuffer.wrap(in.readAllBytes()), TestJars.MINILM);
    }
    bge = LangChain4jEmbeddingJar.load(TestJars.jarOf(TestJars.BGE), cache, null);
  }

  @AfterAll
  static void release() {
    // the weights are hundreds of MB; let later test classes in this JVM have the heap
    miniLm = null;
    miniLmRaw = null;
    bge = null;
  }

  private static void assertTransposed(HostTensor kernel, HostTensor weight) {
    int in = (int) kernel.dim(0);
    int out = (int) kernel.dim(1);
    assertThat(weight.shape()).containsExactly(out, in);
    float[] k = kernel.toFloats();
    float[] w = weight.toFloats();
    for (int[] ij : new int[][] {{0, 0}, {1, 0}, {0, 1}, {in - 1, out - 2}, {5, 7}}) {
      assertThat(w[ij[1] * in + ij[0]]).isEqualTo(k[ij[0] * out + ij[1]]);
    }
  }

  @Test
  void miniLmMapsEveryWeightWithTheRightShape() {
    BertConfig c = miniLm.config();
    assertThat(c).isEqualTo(BertConfig.miniLmL6H384());
    StateDict sd = miniLm.weights();
    Set<String> expected = new LinkedHashSet<>(BertLayout.encoderShapes(c).keySet());
    expected.addAll(BertLayout.poolerShapes(c).keySet());
    assertThat(sd.names()).containsExactlyElementsOf(expected); // no position_ids, nothing unmapped
    BertLayout.check(c, sd);
    assertThat(sd.totalElements()).isEqualTo(22_713_216L);
    assertThat(miniLm.source()).isEqualTo(ModelRef.ALIASES.get("all-minilm-l6-v2"));
  }

  @Test
  void miniLmMatMulWeightsAreNamedByTheirBiasAndTransposed() {
    StateDict sd = miniLm.weights();
    // The reference's example: layer 0 = MatMul_885 (query) ... MatMul_897 (FFN output).
    assertTransposed(
        miniLmRaw.initializers().get("onnx::MatMul_885"),
        sd.get("bert.encoder.layer.0.attention.self.query.weight"));
    assertTransposed(
        miniLmRaw.initializers().get("onnx::MatMul_896"),
        sd.get("bert.encoder.layer.0.intermediate.dense.weight"));
    assertTransposed(
        miniLmRaw.initializers().get("onnx::MatMul_897"),
        sd.get("bert.encoder.layer.0.output.dense.weight"));
    // The pooler is a Gemm with transB = 1: already [out, in], kept as is.
    assertThat(sd.get("bert.pooler.dense.weight"))
        .isEqualTo(miniLmRaw.initializers().get("pooler.dense.weight"));
  }

  @Test
  void miniLmGraphInterfaceAndHeadsAreRead() {
    assertThat(miniLmRaw.inputs())
        .extracting(OnnxModel.ValueInfo::name)
        .containsExactly("input_ids", "attention_mask", "token_type_ids");
    assertThat(miniLmRaw.inputs().get(0).elemType()).isEqualTo(7); // INT64
    assertThat(miniLmRaw.outputs())
        .extracting(OnnxModel.ValueInfo::name)
        .containsExactly("output_0", "882");
    assertThat(miniLmRaw.producerName()).isEqualTo("pytorch");
    assertThat(miniLmRaw.opsets()).containsEntry("", 14L);
    assertThat(OnnxHeads.find(miniLmRaw, miniLm.weights(), 384)).isEqualTo(12);
  }

  @Test
  void miniLmTokenizerIsExtractedToTheCache() throws IOException {
    TokenizerFiles t = miniLm.tokenizer();
    assertThat(t.size()).isEqualTo(30522);
    assertThat(t.lowercase()).isTrue();
    assertThat(t.vocab().get(102)).isEqualTo("[SEP]");
    assertThat(t.tokenizerJson()).isRegularFile().hasFileName("all-minilm-l6-v2-tokenizer.json");
    assertThat(t.tokenizerJson()).startsWith(cache);
    assertThat(Files.size(t.tokenizerJson())).isEqualTo(742_346L);
  }

  @Test
  void bgeSmallMapsEveryWeightAndHasNoPooler() {
    BertConfig c = bge.config();
    assertThat(c).isEqualTo(BertConfig.bgeSmall());
    StateDict sd = bge.weights();
    assertThat(sd.names()).containsExactlyElementsOf(BertLayout.encoderShapes(c).keySet());
    BertLayout.check(c, sd);
    assertThat(sd.totalElements()).isEqualTo(33_212_160L);
    assertThat(bge.tokenizer().tokenizerJson()).hasFileName("bge-small-en-v1.5-tokenizer.json");
    // The same WordPiece vocabulary as BERT-base uncased.
    assertThat(bge.tokenizer().vocab()).isEqualTo(miniLm.tokenizer().vocab());
  }
}

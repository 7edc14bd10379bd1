package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.model.Gelu;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxBertMapperTest {
  @TempDir Path dir;

  private static OnnxModel decode(byte[] b) {
    return OnnxModelReader.read(ByteBuffer.wrap(b), "tiny.onnx");
  }

  @Test
  void exportOfKnownWeightsMapsBackToTheSameWeights() {
    StateDict hf = TinyModels.weights(TinyModels.CONFIG, true, false);
    OnnxModel m = decode(TinyModels.onnx(hf, 2));

    StateDict back = OnnxBertMapper.toHf(m, "tiny.onnx");

    assertThat(back.names()).containsExactlyInAnyOrderElementsOf(hf.names());
    hf.asMap().forEach((k, v) -> assertThat(back.get(k)).as(k).isEqualTo(v));
    assertThat(OnnxBertMapper.inferConfig(m, back, null))
        .isEqualTo(TinyModels.CONFIG.withGelu(Gelu.ERF)); // heads 2 from the Reshape constants
  }

  @Test
  void decoderReadsInterfaceOpsetsAndNonRawTensorEncodings() {
    StateDict hf = TinyModels.weights(TinyModels.CONFIG, false, false);
    OnnxModel m = decode(TinyModels.onnx(hf, 2));
    assertThat(m.irVersion()).isEqualTo(7);
    assertThat(m.opsets()).containsEntry("", 14L);
    assertThat(m.inputs().get(1).name()).isEqualTo("attention_mask");
    assertThat(m.outputs().get(0).dims()).containsExactly("batch", "sequence", "4");
    HostTensor ids = m.initializers().get("embeddings.position_ids"); // int64_data
    assertThat(ids.dtype()).isEqualTo(DType.I64);
    assertThat(ids.toLongs()).containsExactly(0, 1, 2);

    byte[] floatData =
        new ProtoWriter()
            .message(
                7,
                new ProtoWriter()
                    .message(
                        5,
                        new ProtoWriter()
                            .packedVarints(1, 2)
                            .varint(2, 1)
                            .string(8, "f")
                            .packedFloats(4, 1.5f, -2f)))
            .toByteArray();
    assertThat(decode(floatData).initializers().get("f").toFloats()).containsExactly(1.5f, -2f);
  }

  @Test
  void headHintThatContradictsTheGraphIsRejected() {
    StateDict hf = TinyModels.weights(TinyModels.CONFIG, false, false);
    OnnxModel m = decode(TinyModels.onnx(hf, 2));
    StateDict mapped = OnnxBertMapper.toHf(m, "tiny.onnx");
    assertThatThrownBy(() -> OnnxBertMapper.inferConfig(m, mapped, 4))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("2 heads but 4 were given");
  }

  @Test
  void matMulWithoutANamedBiasIsReportedAsUnmapped() {
    byte[] b =
        new ProtoWriter()
            .message(
                7,
                new ProtoWriter()
                    .message(
                        5,
                        TinyModels.tensor(
                            "onnx::MatMul_7", HostTensor.ofFloats(new long[] {2, 2}, new float[4])))
                    .message(
                        1, TinyModels.node("MatMul", List.of("x", "onnx::MatMul_7"), List.of("y")))
                    .message(1, TinyModels.node("Add", List.of("y", "residual"), List.of("z"))))
            .toByteArray();
    assertThatThrownBy(() -> OnnxBertMapper.toHf(decode(b), "m.onnx"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("m.onnx")
        .hasMessageContaining("onnx::MatMul_7");
  }

  @Test
  void quantizedModelIsRejected() {
    byte[] b =
        new ProtoWriter()
            .message(
                7,
                new ProtoWriter()
                    .message(1, TinyModels.node("MatMulInteger", List.of("x", "w"), List.of("y"))))
            .toByteArray();
    assertThatThrownBy(() -> OnnxBertMapper.toHf(decode(b), "q.onnx"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("quantized");
  }

  @Test
  void garbageIsNotAnOnnxModel() {
    assertThatThrownBy(() -> decode("not a model at all".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("tiny.onnx")
        .hasMessageContaining("not a valid ONNX model");
  }

  @Test
  void onnxReferenceLoadsWithTheTokenizerNextToIt() throws IOException {
    StateDict hf = TinyModels.weights(TinyModels.CONFIG, true, false);
    Files.write(dir.resolve("tiny.onnx"), TinyModels.onnx(hf, 2));
    Files.writeString(dir.resolve("tiny-tokenizer.json"), TinyModels.tokenizerJson(true));

    PretrainedWeights w =
        WeightLoader.load(
            "onnx:" + dir.resolve("tiny.onnx"),
            LoadOptions.builder()
                .optCacheDir(dir.resolve("cache"))
                .optMaven(MavenArtifacts.builder().optRepository(dir).build())
                .build());

    assertThat(w.config()).isEqualTo(TinyModels.CONFIG);
    assertThat(w.weights().names()).containsExactlyElementsOf(hf.names()); // canonical order
    assertThat(w.tokenizer().vocab()).isEqualTo(TinyModels.VOCAB);
    assertThat(w.tokenizer().tokenizerJson()).isEqualTo(dir.resolve("tiny-tokenizer.json"));
    assertThat(w.source()).isEqualTo("onnx:" + dir.resolve("tiny.onnx"));
  }

  @Test
  void tokenizerOfAnotherVocabularySizeIsRejected() throws IOException {
    StateDict hf =
        TinyModels.weights(TinyModels.CONFIG.toBuilder().setVocabSize(13).build(), false, false);
    Files.write(dir.resolve("m.onnx"), TinyModels.onnx(hf, 2));
    Files.writeString(dir.resolve("tok.json"), TinyModels.tokenizerJson(true));
    assertThatThrownBy(
            () -> OnnxBertLoader.load(dir.resolve("m.onnx"), dir.resolve("tok.json"), null))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("12 tokens")
        .hasMessageContaining("13 rows");
  }
}

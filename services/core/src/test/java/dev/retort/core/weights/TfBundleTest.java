package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfBundleTest {
  @TempDir Path dir;

  /** 40 variables, so the index has 3 data blocks and several restart points per block. */
  private static Map<String, HostTensor> tensors() {
    Map<String, HostTensor> m = new LinkedHashMap<>();
    for (int l = 0; l < 10; l++) {
      String p = "module/bert/encoder/layer_" + l + "/attention/self/";
      m.put(
          p + "query/kernel",
          HostTensor.ofFloats(new long[] {2, 3}, new float[] {l, 1, 2, 3, 4, 5}));
      m.put(p + "query/bias", HostTensor.ofFloats(new long[] {3}, new float[] {l, -1, -2}));
      m.put(p + "key/bias", HostTensor.ofFloats(new long[] {3}, new float[] {l, 10, 20}));
      m.put(p + "value/bias", HostTensor.ofFloats(new long[] {3}, new float[] {l, 7, 8}));
    }
    m.put("global_step", HostTensor.ofLongs(new long[] {}, new long[] {12345}));
    ByteBuffer half =
        ByteBuffer.allocate(4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putShort((short) 0x3c00)
            .putShort((short) 0xc000);
    m.put("half", new HostTensor(DType.F16, new long[] {2}, half.flip()));
    return m;
  }

  @Test
  void tinyBundleRoundTripsThroughTheReader() throws IOException {
    Map<String, HostTensor> in = tensors();
    new TfBundleWriter(16).write(dir.resolve("variables"), in);

    StateDict out = TfBundleReader.read(dir);

    assertThat(out.names()).containsExactlyInAnyOrderElementsOf(in.keySet());
    in.forEach((k, v) -> assertThat(out.get(k)).as(k).isEqualTo(v));
    assertThat(out.get("half").toFloats()).containsExactly(1f, -2f);
    assertThat(out.get("global_step").toLongs()).containsExactly(12345);
    // TF sorts keys; the reader returns index order.
    assertThat(out.names().iterator().next()).isEqualTo("global_step");
  }

  @Test
  void indexCanBeDecodedAloneAndStreamsAreAccepted() throws IOException {
    new TfBundleWriter(7).write(dir.resolve("variables"), tensors());
    ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("variables.index")));

    List<TfBundleIndex.Entry> entries = TfBundleReader.readIndex(index, "test");
    assertThat(entries).hasSize(42);
    TfBundleIndex.Entry q =
        entries.stream()
            .filter(e -> e.name().equals("module/bert/encoder/layer_3/attention/self/query/kernel"))
            .findFirst()
            .orElseThrow();
    assertThat(q.shape()).containsExactly(2, 3);
    assertThat(q.size()).isEqualTo(24);

    try (InputStream i = Files.newInputStream(dir.resolve("variables.index"));
        InputStream d = Files.newInputStream(dir.resolve("variables.data-00000-of-00001"))) {
      assertThat(TfBundleReader.read(i, d, "streams").size()).isEqualTo(42);
    }
  }

  @Test
  void crcMismatchIsReportedWithTensorName() throws IOException {
    Map<String, HostTensor> in = new LinkedHashMap<>();
    in.put("a", HostTensor.ofFloats(new long[] {2}, new float[] {1, 2}));
    in.put("b", HostTensor.ofFloats(new long[] {2}, new float[] {3, 4}));
    new TfBundleWriter(16).write(dir.resolve("variables"), in);
    Path data = dir.resolve("variables.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    bytes[9] ^= 0x01; // a byte of tensor "b" (bytes 8..15)
    Files.write(data, bytes);

    assertThatThrownBy(() -> TfBundleReader.read(dir))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("tensor 'b'")
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void corruptIndexBlockIsDetected() throws IOException {
    new TfBundleWriter(16).write(dir.resolve("variables"), tensors());
    Path index = dir.resolve("variables.index");
    byte[] bytes = Files.readAllBytes(index);
    bytes[20] ^= 0x40;
    Files.write(index, bytes);

    assertThatThrownBy(() -> TfBundleReader.read(dir.resolve("variables.index")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("checksum mismatch in data block");
  }

  @Test
  void missingDataShardNamesTheFile() throws IOException {
    new TfBundleWriter(16).write(dir.resolve("variables"), tensors());
    Files.delete(dir.resolve("variables.data-00000-of-00001"));
    assertThatThrownBy(() -> TfBundleReader.read(dir))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("variables.data-00000-of-00001");
  }

  @Test
  void tfNamesMapToHuggingFaceNamesWithTransposedKernels() {
    StateDict tf = new StateDict("t");
    tf.put(
        "module/bert/encoder/layer_11/intermediate/dense/kernel",
        HostTensor.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})); // [in 2, out 3]
    tf.put(
        "module/bert/embeddings/LayerNorm/gamma",
        HostTensor.ofFloats(new long[] {1}, new float[] {1}));
    tf.put(
        "module/bert/embeddings/word_embeddings",
        HostTensor.ofFloats(new long[] {1, 1}, new float[] {1}));
    tf.put(
        "module/cls/predictions/output_bias", HostTensor.ofFloats(new long[] {1}, new float[] {1}));
    tf.put(
        "module/cls/predictions/transform/LayerNorm/beta",
        HostTensor.ofFloats(new long[] {1}, new float[] {1}));
    tf.put("bert/pooler/dense/bias", HostTensor.ofFloats(new long[] {1}, new float[] {1}));
    tf.put("global_step", HostTensor.ofLongs(new long[] {}, new long[] {1}));

    StateDict hf = TfBertNames.toHf(tf);

    assertThat(hf.names())
        .containsExactly(
            "bert.encoder.layer.11.intermediate.dense.weight",
            "bert.embeddings.LayerNorm.weight",
            "bert.embeddings.word_embeddings.weight",
            "cls.predictions.bias",
            "cls.predictions.transform.LayerNorm.bias",
            "bert.pooler.dense.bias");
    HostTensor w = hf.get("bert.encoder.layer.11.intermediate.dense.weight");
    assertThat(w.shape()).containsExactly(3, 2);
    assertThat(w.toFloats()).containsExactly(1, 4, 2, 5, 3, 6); // W[j][i] = K[i][j]
  }

  @Test
  void unknownTfVariableIsRejectedByName() {
    StateDict tf = new StateDict("ckpt");
    tf.put("module/albert/whatever", HostTensor.ofFloats(new long[] {1}, new float[] {1}));
    assertThatThrownBy(() -> TfBertNames.toHf(tf))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("module/albert/whatever");
  }
}

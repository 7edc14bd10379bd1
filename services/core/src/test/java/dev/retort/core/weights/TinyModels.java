package dev.retort.core.weights;

import dev.retort.core.model.BertConfig;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Tiny BERT weights and exports of them, for fast tests. */
final class TinyModels {
  /** V 12, H 4, 2 layers, 2 heads, I 6, P 8, T 2. */
  static final BertConfig CONFIG =
      BertConfig.builder()
          .setVocabSize(12)
          .setHiddenSize(4)
          .setNumLayers(2)
          .setNumHeads(2)
          .setIntermediateSize(6)
          .optMaxPositions(8)
          .build();

  static final List<String> VOCAB =
      List.of(
          "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s",
          "é");

  private TinyModels() {}

  /** Returns distinct deterministic values: element k of tensor number t is t + k / 1000. */
  static StateDict weights(BertConfig c, boolean pooler, boolean mlm) {
    StateDict sd = new StateDict("tiny");
    List<Map<String, long[]>> groups = new ArrayList<>();
    groups.add(BertLayout.encoderShapes(c));
    if (pooler) {
      groups.add(BertLayout.poolerShapes(c));
    }
    if (mlm) {
      groups.add(BertLayout.mlmHeadShapes(c));
    }
    int t = 0;
    for (Map<String, long[]> g : groups) {
      for (var e : g.entrySet()) {
        float[] v = new float[(int) HostTensor.numel(e.getValue())];
        for (int k = 0; k < v.length; k++) {
          v[k] = t + k / 1000f;
        }
        sd.put(e.getKey(), HostTensor.ofFloats(e.getValue(), v));
        t++;
      }
    }
    return sd;
  }

  /**
   * Exports weights as a PyTorch-style ONNX graph: named embeddings, biases and LayerNorms without
   * the {@code bert.} prefix, anonymous [in, out] MatMul weights followed by an Add of their bias
   * (bias first, as torch exports it, except in the FFN output where it comes second), the
   * attention Reshape to [B, L, A, D] built from Constants, and a Gemm pooler.
   */
  static byte[] onnx(StateDict hf, int heads) {
    ProtoWriter graph = new ProtoWriter();
    int anon = 100;
    for (var e : hf.asMap().entrySet()) {
      String name = e.getKey();
      String onnxName = name.startsWith("bert.") ? name.substring(5) : name;
      HostTensor t = e.getValue();
      boolean linear = t.rank() == 2 && name.contains("encoder.layer.");
      if (linear) {
        String w = "onnx::MatMul_" + anon++;
        String p = onnxName.substring(0, onnxName.length() - ".weight".length());
        graph.message(5, tensor(w, Transposes.kernelToWeight(t))); // [in, out]
        graph.message(1, node("MatMul", List.of("x_" + p, w), List.of(p + "/MatMul_out")));
        List<String> addIn =
            p.endsWith("output.dense") && !p.contains("attention")
                ? List.of(p + "/MatMul_out", p + ".bias")
                : List.of(p + ".bias", p + "/MatMul_out");
        graph.message(1, node("Add", addIn, List.of(p + "/Add_out")));
        if (p.endsWith("attention.self.query")) {
          long d = hf.get(name).dim(0) / heads;
          graph.message(1, constant("c_heads_" + p, heads));
          graph.message(1, constant("c_size_" + p, d));
          graph.message(
              1,
              node(
                  "Concat",
                  List.of("dyn_b", "dyn_l", "c_heads_" + p, "c_size_" + p),
                  List.of("shape_" + p)));
          graph.message(
              1, node("Reshape", List.of(p + "/Add_out", "shape_" + p), List.of("r_" + p)));
        }
      } else if (name.equals("bert.pooler.dense.weight")) {
        graph.message(5, tensor(onnxName, t));
        graph.message(
            1,
            node("Gemm", List.of("cls", onnxName, "pooler.dense.bias"), List.of("pooled"))
                .message(5, new ProtoWriter().string(1, "transB").varint(3, 1)));
      } else {
        graph.message(5, tensor(onnxName, t));
      }
    }
    graph.message(
        5,
        new ProtoWriter()
            .packedVarints(1, 1, 3)
            .varint(2, 7)
            .string(8, "embeddings.position_ids")
            .packedVarints(7, 0, 1, 2));
    for (String in : List.of("input_ids", "attention_mask", "token_type_ids")) {
      graph.message(11, valueInfo(in, 7, "batch", "sequence"));
    }
    graph.message(12, valueInfo("last_hidden_state", 1, "batch", "sequence", "4"));
    return new ProtoWriter()
        .varint(1, 7)
        .string(2, "pytorch")
        .string(3, "1.13.0")
        .message(7, graph)
        .message(8, new ProtoWriter().string(1, "").varint(2, 14))
        .toByteArray();
  }

  static ProtoWriter tensor(String name, HostTensor t) {
    ProtoWriter w = new ProtoWriter();
    w.packedVarints(1, t.shape());
    w.varint(2, 1).string(8, name);
    ByteBuffer b = t.data();
    byte[] raw = new byte[b.remaining()];
    b.get(raw);
    return w.bytes(9, raw);
  }

  static ProtoWriter node(String op, List<String> in, List<String> out) {
    ProtoWriter n = new ProtoWriter();
    in.forEach(i -> n.string(1, i));
    out.forEach(o -> n.string(2, o));
    return n.string(3, "/" + op + "_" + out.get(0)).string(4, op);
  }

  static ProtoWriter constant(String out, long value) {
    ProtoWriter t = new ProtoWriter().packedVarints(1, 1).varint(2, 7).packedVarints(7, value);
    return node("Constant", List.of(), List.of(out))
        .message(5, new ProtoWriter().string(1, "value").message(5, t).varint(20, 4));
  }

  static ProtoWriter valueInfo(String name, int elem, String... dims) {
    ProtoWriter shape = new ProtoWriter();
    for (String d : dims) {
      shape.message(
          1,
          d.matches("\\d+")
              ? new ProtoWriter().varint(1, Long.parseLong(d))
              : new ProtoWriter().string(2, d));
    }
    ProtoWriter tensorType = new ProtoWriter().varint(1, elem).message(2, shape);
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
  }

  /** A minimal WordPiece tokenizer.json for {@link #VOCAB}. */
  static String tokenizerJson(boolean lowercase) {
    StringBuilder v = new StringBuilder();
    for (int i = 0; i < VOCAB.size(); i++) {
      v.append(i == 0 ? "" : ",").append('"').append(VOCAB.get(i)).append("\":").append(i);
    }
    return "{\"version\":\"1.0\",\"normalizer\":{\"type\":\"BertNormalizer\",\"lowercase\":"
        + lowercase
        + "},\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"vocab\":{"
        + v
        + "}}}";
  }
}

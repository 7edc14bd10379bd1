package dev.retort.core.weights;

import dev.retort.core.RetortException;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.Gelu;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the initializers of a PyTorch-exported ONNX BERT into Hugging Face {@code
 * BertForPreTraining} weights, and infers the configuration from the graph.
 *
 * <p>Embeddings, biases and LayerNorms keep their Hugging Face names in the export (without the
 * {@code bert.} prefix, which is added). Linear weights are anonymous ({@code onnx::MatMul_NNN},
 * [in, out]): for each {@code MatMul(x, W)} the consumer {@code Add} whose other input is {@code
 * P.bias} names W as {@code P.weight}, stored transposed to [out, in]. A {@code Gemm(x, W, b)} (the
 * pooler) is named after its bias and transposed only if {@code transB} is 0. {@code
 * embeddings.position_ids} is dropped. Any MatMul weight that cannot be named is an error.
 */
public final class OnnxBertMapper {
  private OnnxBertMapper() {}

  /**
   * Maps the initializers to Hugging Face names.
   *
   * @param m the decoded model
   * @param source a name for errors
   * @return the weights (order: as found; see {@link BertLayout#canonicalOrder})
   * @throws RetortException if the model is quantized or a MatMul weight cannot be named
   */
  public static StateDict toHf(OnnxModel m, String source) {
    rejectQuantized(m, source);
    Map<String, HostTensor> init = m.initializers();
    Map<String, List<OnnxModel.Node>> consumers = consumers(m);
    StateDict out = new StateDict(source);
    Set<String> used = new HashSet<>();
    Set<String> unmapped = new TreeSet<>();
    for (OnnxModel.Node n : m.nodes()) {
      boolean matMul = n.opType().equals("MatMul");
      boolean gemm = n.opType().equals("Gemm");
      if (!(matMul || gemm) || n.inputs().size() < 2 || !init.containsKey(n.inputs().get(1))) {
        continue;
      }
      String wName = n.inputs().get(1);
      HostTensor w = init.get(wName);
      if (w.rank() != 2 || !w.dtype().isFloating()) {
        continue;
      }
      String target = weightName(wName);
      if (target == null) {
        String bias =
            gemm && n.inputs().size() > 2 ? n.inputs().get(2) : biasAfter(n, consumers, init);
        String hfBias = bias == null ? null : hfName(bias);
        target = hfBias != null && hfBias.endsWith(".bias") ? stem(hfBias) + ".weight" : null;
      }
      if (target == null) {
        unmapped.add(wName);
        continue;
      }
      boolean inOut = matMul || n.intAttr("transB", 0) == 0; // stored [in, out]
      out.put(target, inOut ? Transposes.kernelToWeight(w.toF32()) : w);
      used.add(wName);
    }
    if (!unmapped.isEmpty()) {
      throw new RetortException(
          source,
          "cannot tell which layer these MatMul weights belong to: "
              + unmapped
              + " (no following Add with a named bias)",
          "Export the model from Hugging Face BERT with torch.onnx (no graph optimisations)");
    }
    for (var e : init.entrySet()) {
      String hf = hfName(e.getKey());
      if (hf != null
          && !used.contains(e.getKey())
          && !out.contains(hf)
          && !hf.equals("bert.embeddings.position_ids")) {
        out.put(hf, e.getValue());
      }
    }
    return out;
  }

  /**
   * Infers the configuration: sizes from the weights, heads from the attention's Reshape constants
   * ({@code [B, L, A, D]} with {@code A * D = H}) or from {@code headsHint}, the activation from
   * the presence of {@code Erf} nodes.
   *
   * @param m the model
   * @param hf the weights from {@link #toHf}
   * @param headsHint the head count if known from elsewhere, else {@code null}
   * @return the configuration
   * @throws RetortException if the head count is unknown or the hint disagrees with the graph
   */
  public static BertConfig inferConfig(OnnxModel m, StateDict hf, Integer headsHint) {
    int hidden = (int) hf.require("bert.embeddings.word_embeddings.weight").dim(1);
    Integer fromGraph = OnnxHeads.find(m, hf, hidden);
    if (fromGraph != null && headsHint != null && !fromGraph.equals(headsHint)) {
      throw new RetortException(
          hf.source(),
          "the graph reshapes attention into "
              + fromGraph
              + " heads but "
              + headsHint
              + " were given",
          "Remove the heads option or correct it");
    }
    Integer heads = headsHint != null ? headsHint : fromGraph;
    if (heads == null) {
      throw new RetortException(
          hf.source(),
          "the number of attention heads is not in the weights and was not found in the graph",
          "Give it explicitly, e.g. onnx:model.onnx,heads=12");
    }
    long erf = m.nodes().stream().filter(n -> n.opType().equals("Erf")).count();
    long tanh = m.nodes().stream().filter(n -> n.opType().equals("Tanh")).count();
    Gelu gelu = erf == 0 && tanh > 1 ? Gelu.TANH : Gelu.ERF;
    return BertLayout.inferConfig(hf, heads, gelu);
  }

  private static String biasAfter(
      OnnxModel.Node n, Map<String, List<OnnxModel.Node>> consumers, Map<String, HostTensor> init) {
    String out = n.outputs().get(0);
    for (OnnxModel.Node c : consumers.getOrDefault(out, List.of())) {
      if (c.opType().equals("Add") && c.inputs().size() == 2) {
        String other = c.inputs().get(0).equals(out) ? c.inputs().get(1) : c.inputs().get(0);
        if (init.containsKey(other)) {
          return other;
        }
      }
    }
    return null;
  }

  private static Map<String, List<OnnxModel.Node>> consumers(OnnxModel m) {
    Map<String, List<OnnxModel.Node>> c = new HashMap<>();
    for (OnnxModel.Node n : m.nodes()) {
      for (String in : n.inputs()) {
        c.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
      }
    }
    return c;
  }

  private static void rejectQuantized(OnnxModel m, String source) {
    for (OnnxModel.Node n : m.nodes()) {
      switch (n.opType()) {
        case "MatMulInteger", "DynamicQuantizeLinear", "QLinearMatMul", "DequantizeLinear" ->
            throw new RetortException(
                source,
                "is a quantized model ("
                    + n.opType()
                    + " nodes); only float32 exports can be imported",
                "Use the fp32 model (e.g. all-minilm-l6-v2, not all-minilm-l6-v2-q)");
        default -> {}
      }
    }
  }

  /** Returns the name of a named Linear weight initializer, or {@code null}. */
  private static String weightName(String onnxName) {
    String hf = hfName(onnxName);
    return hf != null && hf.endsWith(".weight") ? hf : null;
  }

  /**
   * Returns the Hugging Face name of an initializer named after a BERT parameter, adding the {@code
   * bert.} prefix to encoder parameters; {@code null} for anonymous or other names.
   *
   * @param onnxName e.g. {@code encoder.layer.0.attention.self.query.bias}
   * @return e.g. {@code bert.encoder.layer.0.attention.self.query.bias}
   */
  static String hfName(String onnxName) {
    if (onnxName.startsWith("bert.") || onnxName.startsWith("cls.")) {
      return onnxName;
    }
    if (onnxName.startsWith("embeddings.")
        || onnxName.startsWith("encoder.")
        || onnxName.startsWith("pooler.")) {
      return "bert." + onnxName;
    }
    return null;
  }

  private static String stem(String name) {
    return name.substring(0, name.lastIndexOf('.'));
  }
}

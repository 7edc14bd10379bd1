package dev.retort.core.weights;

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
 * Finds the attention head count of an exported BERT in its graph, since the weights do not hold
 * it.
 *
 * <p>PyTorch exports split the query/key/value projection {@code [B, L, H]} into heads with {@code
 * Reshape(x, Concat(b, l, A, D))} where A and D are Constant nodes (or initializers) and {@code A *
 * D = H}. The Reshape is found by following layer 0's projection Add (the one with the named {@code
 * ...self.query/key/value.bias}).
 */
final class OnnxHeads {
  private OnnxHeads() {}

  /**
   * Finds the head count in the Reshape that splits layer 0's query, key or value into heads.
   *
   * @return A, or {@code null} if the pattern is not found
   */
  static Integer find(OnnxModel m, StateDict hf, int hidden) {
    Map<String, OnnxModel.Node> producer = new HashMap<>();
    for (OnnxModel.Node n : m.nodes()) {
      for (String o : n.outputs()) {
        producer.put(o, n);
      }
    }
    Set<String> projections = new HashSet<>();
    for (OnnxModel.Node n : m.nodes()) {
      if (n.opType().equals("Add")) {
        for (String in : n.inputs()) {
          String h = OnnxBertMapper.hfName(in);
          if (h != null
              && h.matches(
                  "bert\\.encoder\\.layer\\.0\\.attention\\.self\\.(query|key|value)\\.bias")) {
            projections.add(n.outputs().get(0));
          }
        }
      }
    }
    Set<Integer> found = new TreeSet<>();
    for (OnnxModel.Node n : m.nodes()) {
      if (n.opType().equals("Reshape")
          && n.inputs().size() == 2
          && projections.contains(n.inputs().get(0))) {
        long[] shape = constantShape(n.inputs().get(1), producer, m.initializers());
        if (shape != null && shape.length == 4 && shape[2] > 0 && shape[2] * shape[3] == hidden) {
          found.add((int) shape[2]);
        }
      }
    }
    return found.size() == 1 ? found.iterator().next() : null;
  }

  /** Resolves a shape operand to constants; unknown (dynamic) entries become -1. */
  private static long[] constantShape(
      String value, Map<String, OnnxModel.Node> producer, Map<String, HostTensor> init) {
    long[] c = constant(value, producer, init);
    if (c != null) {
      return c;
    }
    OnnxModel.Node p = producer.get(value);
    if (p == null || !p.opType().equals("Concat")) {
      return null;
    }
    List<Long> parts = new ArrayList<>();
    for (String in : p.inputs()) {
      long[] v = constant(in, producer, init);
      if (v == null) {
        parts.add(-1L); // a dynamic dimension (batch or length), one element
      } else {
        for (long x : v) {
          parts.add(x);
        }
      }
    }
    return parts.stream().mapToLong(Long::longValue).toArray();
  }

  private static long[] constant(
      String value, Map<String, OnnxModel.Node> producer, Map<String, HostTensor> init) {
    HostTensor t = init.get(value);
    OnnxModel.Node p = producer.get(value);
    if (t == null
        && p != null
        && p.opType().equals("Constant")
        && p.attributes().containsKey("value")) {
      t = p.attributes().get("value").t();
    }
    return t == null || t.dtype().isFloating() ? null : t.toLongs();
  }
}

package dev.retort.core.weights;

import dev.retort.core.tensor.HostTensor;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX {@code ModelProto} that weight import needs: producer, opsets, the graph's
 * nodes, initializers and declared inputs and outputs.
 *
 * @param irVersion the ONNX IR version
 * @param producerName e.g. {@code pytorch}
 * @param producerVersion e.g. {@code 1.13.0}
 * @param opsets opset versions by domain ({@code ""} is the default ONNX domain)
 * @param nodes the graph's nodes in file (topological) order
 * @param initializers the graph's constant tensors by name, in file order; tensors of types {@link
 *     dev.retort.core.tensor.DType} cannot hold (bool, double, strings) are left out
 * @param inputs the graph inputs that are not initializers
 * @param outputs the graph outputs
 */
public record OnnxModel(
    long irVersion,
    String producerName,
    String producerVersion,
    Map<String, Long> opsets,
    List<Node> nodes,
    Map<String, HostTensor> initializers,
    List<ValueInfo> inputs,
    List<ValueInfo> outputs) {

  /** Makes the collections unmodifiable. */
  public OnnxModel {
    opsets = Collections.unmodifiableMap(opsets);
    nodes = List.copyOf(nodes);
    initializers = Collections.unmodifiableMap(initializers);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * One operator application.
   *
   * @param name the node name (may be empty)
   * @param opType the operator, e.g. {@code MatMul}
   * @param domain the operator domain, {@code ""} for standard ONNX
   * @param inputs input value names; an empty string marks an omitted optional input
   * @param outputs output value names
   * @param attributes attributes by name
   */
  public record Node(
      String name,
      String opType,
      String domain,
      List<String> inputs,
      List<String> outputs,
      Map<String, Attribute> attributes) {
    /** Returns an integer attribute, or {@code dflt} when absent. */
    public long intAttr(String key, long dflt) {
      Attribute a = attributes.get(key);
      return a == null ? dflt : a.i();
    }
  }

  /**
   * A node attribute; only the field its type uses is meaningful.
   *
   * @param name the attribute name
   * @param f a float value
   * @param i an integer value
   * @param s a string value, or {@code null}
   * @param t a tensor value, or {@code null}
   * @param ints a list of integers (empty when absent)
   */
  public record Attribute(String name, float f, long i, String s, HostTensor t, long[] ints) {}

  /**
   * A declared graph input or output.
   *
   * @param name the value name
   * @param elemType the ONNX element type number (1 float, 7 int64, ...), 0 if undeclared
   * @param dims each dimension as a number or a symbolic name such as {@code batch}
   */
  public record ValueInfo(String name, int elemType, List<String> dims) {}
}

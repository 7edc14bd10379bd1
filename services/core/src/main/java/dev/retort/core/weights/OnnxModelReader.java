package dev.retort.core.weights;

import dev.retort.core.RetortException;
import dev.retort.core.tensor.HostTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes an ONNX model file by hand from the protobuf wire format, keeping tensor bytes as slices
 * of the file buffer.
 *
 * <p>Field numbers (onnx.proto): {@code ModelProto} ir_version 1, producer_name 2, producer_version
 * 3, graph 7, opset_import 8 ({@code domain} 1, {@code version} 2). {@code GraphProto} node 1,
 * initializer 5, input 11, output 12. {@code NodeProto} input 1, output 2, name 3, op_type 4,
 * attribute 5, domain 7. {@code AttributeProto} name 1, f 2, i 3, s 4, t 5, ints 8. {@code
 * TensorProto} dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8, raw_data 9,
 * external_data 13. {@code ValueInfoProto} name 1, type 2 → tensor_type 1 → elem_type 1, shape 2 →
 * dim 1 → dim_value 1 / dim_param 2.
 */
public final class OnnxModelReader {
  private OnnxModelReader() {}

  /**
   * Reads a model file, memory-mapping it.
   *
   * @param file the {@code .onnx} file
   * @return the decoded model
   */
  public static OnnxModel read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() > Integer.MAX_VALUE) {
        throw new RetortException(
            file.toString(), "ONNX files over 2 GiB are not supported", "Use a smaller model");
      }
      return read(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()), file.toString());
    } catch (IOException e) {
      throw new RetortException(file.toString(), "cannot read: " + e, "Check the path", e);
    }
  }

  /**
   * Decodes a model held in memory.
   *
   * @param bytes the serialized {@code ModelProto}
   * @param source a name for errors
   * @return the decoded model; initializers are slices of {@code bytes}
   */
  public static OnnxModel read(ByteBuffer bytes, String source) {
    try {
      return decodeModel(new ProtoReader(bytes), source);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new RetortException(
          source,
          "is not a valid ONNX model: " + e.getMessage(),
          "Check the file, or export it again",
          e);
    }
  }

  private static OnnxModel decodeModel(ProtoReader r, String source) {
    long ir = 0;
    String producer = "";
    String producerVersion = "";
    Map<String, Long> opsets = new LinkedHashMap<>();
    Graph g = null;
    while (r.hasNext()) {
      switch (r.next()) {
        case 1 -> ir = r.readVarint();
        case 2 -> producer = r.readString();
        case 3 -> producerVersion = r.readString();
        case 7 -> g = decodeGraph(r.readMessage(), source);
        case 8 -> {
          ProtoReader o = r.readMessage();
          String domain = "";
          long version = 0;
          while (o.hasNext()) {
            switch (o.next()) {
              case 1 -> domain = o.readString();
              case 2 -> version = o.readVarint();
              default -> o.skip();
            }
          }
          opsets.put(domain, version);
        }
        default -> r.skip();
      }
    }
    if (g == null) {
      throw new IllegalArgumentException("no graph");
    }
    List<OnnxModel.ValueInfo> inputs = new ArrayList<>();
    for (OnnxModel.ValueInfo v : g.inputs) {
      if (!g.initializers.containsKey(v.name())) {
        inputs.add(v);
      }
    }
    return new OnnxModel(
        ir, producer, producerVersion, opsets, g.nodes, g.initializers, inputs, g.outputs);
  }

  private static final class Graph {
    final List<OnnxModel.Node> nodes = new ArrayList<>();
    final Map<String, HostTensor> initializers = new LinkedHashMap<>();
    final List<OnnxModel.ValueInfo> inputs = new ArrayList<>();
    final List<OnnxModel.ValueInfo> outputs = new ArrayList<>();
  }

  private static Graph decodeGraph(ProtoReader r, String source) {
    Graph g = new Graph();
    while (r.hasNext()) {
      switch (r.next()) {
        case 1 -> g.nodes.add(decodeNode(r.readMessage(), source));
        case 5 -> {
          OnnxTensors.NamedTensor t = OnnxTensors.decode(r.readMessage(), source);
          if (t.tensor() != null) {
            g.initializers.put(t.name(), t.tensor());
          }
        }
        case 11 -> g.inputs.add(decodeValueInfo(r.readMessage()));
        case 12 -> g.outputs.add(decodeValueInfo(r.readMessage()));
        default -> r.skip();
      }
    }
    return g;
  }

  private static OnnxModel.Node decodeNode(ProtoReader r, String source) {
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    String name = "";
    String op = "";
    String domain = "";
    Map<String, OnnxModel.Attribute> attrs = new LinkedHashMap<>();
    while (r.hasNext()) {
      switch (r.next()) {
        case 1 -> in.add(r.readString());
        case 2 -> out.add(r.readString());
        case 3 -> name = r.readString();
        case 4 -> op = r.readString();
        case 5 -> {
          OnnxModel.Attribute a = decodeAttribute(r.readMessage(), source);
          attrs.put(a.name(), a);
        }
        case 7 -> domain = r.readString();
        default -> r.skip();
      }
    }
    return new OnnxModel.Node(name, op, domain, in, out, attrs);
  }

  private static OnnxModel.Attribute decodeAttribute(ProtoReader r, String source) {
    String name = "";
    float f = 0;
    long i = 0;
    String s = null;
    HostTensor t = null;
    ProtoReader.LongList ints = new ProtoReader.LongList();
    while (r.hasNext()) {
      switch (r.next()) {
        case 1 -> name = r.readString();
        case 2 -> f = Float.intBitsToFloat(r.readFixed32());
        case 3 -> i = r.readVarint();
        case 4 -> s = r.readString();
        case 5 -> t = OnnxTensors.decode(r.readMessage(), source).tensor();
        case 8 -> r.readVarints(ints);
        default -> r.skip();
      }
    }
    return new OnnxModel.Attribute(name, f, i, s, t, ints.toArray());
  }

  private static OnnxModel.ValueInfo decodeValueInfo(ProtoReader r) {
    String name = "";
    int elem = 0;
    List<String> dims = new ArrayList<>();
    while (r.hasNext()) {
      int f = r.next();
      if (f == 1) {
        name = r.readString();
      } else if (f == 2) {
        ProtoReader type = r.readMessage();
        while (type.hasNext()) {
          if (type.next() != 1) {
            type.skip();
            continue;
          }
          ProtoReader tt = type.readMessage(); // TypeProto.Tensor
          while (tt.hasNext()) {
            int tf = tt.next();
            if (tf == 1) {
              elem = (int) tt.readVarint();
            } else if (tf == 2) {
              ProtoReader shape = tt.readMessage();
              while (shape.hasNext()) {
                if (shape.next() == 1) {
                  dims.add(decodeDim(shape.readMessage()));
                } else {
                  shape.skip();
                }
              }
            } else {
              tt.skip();
            }
          }
        }
      } else {
        r.skip();
      }
    }
    return new OnnxModel.ValueInfo(name, elem, dims);
  }

  private static String decodeDim(ProtoReader d) {
    String dim = "?";
    while (d.hasNext()) {
      switch (d.next()) {
        case 1 -> dim = Long.toString(d.readVarint());
        case 2 -> dim = d.readString();
        default -> d.skip();
      }
    }
    return dim;
  }
}

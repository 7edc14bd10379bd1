package dev.retort.core.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files: an 8-byte little-endian header length N, N bytes of JSON, then the
 * tensor bytes.
 *
 * <p>The JSON maps each tensor name to {@code {"dtype": "F32", "shape": [..], "data_offsets":
 * [begin, end]}} (offsets relative to the end of the header), plus an optional {@code
 * "__metadata__"} map of strings. The file is memory-mapped and tensors are views of the mapping.
 * Validation follows the reference implementation: the dtype is known, {@code end - begin = numel *
 * width}, and the tensors tile the data section exactly (sorted by offset, each begins where the
 * previous ends, the last ends at the end of the file).
 */
public final class SafetensorsReader {
  /** Largest header accepted, as in the reference implementation. */
  static final long MAX_HEADER = 100_000_000L;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private SafetensorsReader() {}

  /** One header entry. */
  private record Info(String name, DType dtype, long[] shape, long begin, long end) {}

  /**
   * Reads a file, memory-mapping its data.
   *
   * @param file the {@code .safetensors} file
   * @return the tensors (names exactly as stored, in offset order) and metadata
   * @throws RetortException naming the file and tensor if the file is malformed
   */
  public static StateDict read(Path file) {
    String source = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw bad(source, "file is " + size + " bytes, too short for the 8-byte header length");
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long n = len.getLong(0);
      checkHeaderLength(n, size, source);
      ByteBuffer header = ByteBuffer.allocate((int) n);
      readFully(ch, header, 8);
      long dataStart = 8 + n;
      long dataLen = size - dataStart;
      StateDict out = new StateDict(source);
      List<Info> infos = parseHeader(header.array(), dataLen, source, out.metadata());
      ByteBuffer all =
          dataLen <= Integer.MAX_VALUE
              ? ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLen)
              : null;
      for (Info i : infos) {
        ByteBuffer bytes =
            all != null
                ? all.slice((int) i.begin(), (int) (i.end() - i.begin()))
                : ch.map(FileChannel.MapMode.READ_ONLY, dataStart + i.begin(), i.end() - i.begin());
        out.put(
            i.name(), new HostTensor(i.dtype(), i.shape(), bytes.order(ByteOrder.LITTLE_ENDIAN)));
      }
      return out;
    } catch (IOException e) {
      throw new RetortException(source, "cannot read: " + e, "Check the path and permissions", e);
    }
  }

  /**
   * Reads safetensors content held in memory; tensors are slices of {@code bytes}.
   *
   * @param bytes the whole file
   * @param source a name for errors
   * @return the tensors (in offset order) and metadata
   */
  public static StateDict read(ByteBuffer bytes, String source) {
    ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 8) {
      throw bad(source, "only " + b.remaining() + " bytes, too short for the 8-byte header length");
    }
    long n = b.getLong(0);
    checkHeaderLength(n, b.remaining(), source);
    byte[] header = new byte[(int) n];
    b.get(8, header);
    int dataStart = 8 + (int) n;
    StateDict out = new StateDict(source);
    List<Info> infos = parseHeader(header, b.remaining() - dataStart, source, out.metadata());
    for (Info i : infos) {
      ByteBuffer slice = b.slice(dataStart + (int) i.begin(), (int) (i.end() - i.begin()));
      out.put(i.name(), new HostTensor(i.dtype(), i.shape(), slice.order(ByteOrder.LITTLE_ENDIAN)));
    }
    return out;
  }

  private static void checkHeaderLength(long n, long size, String source) {
    if (n <= 0 || n > MAX_HEADER || n > size - 8) {
      throw bad(source, "header length " + n + " is impossible for a file of " + size + " bytes");
    }
  }

  private static List<Info> parseHeader(
      byte[] header, long dataLen, String source, Map<String, String> metadata) {
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (JsonProcessingException e) {
      throw bad(source, "the header is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw bad(source, "the header cannot be parsed: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw bad(source, "the header is not a JSON object");
    }
    List<Info> infos = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        readMetadata(e.getValue(), source, metadata);
      } else {
        infos.add(parseInfo(e.getKey(), e.getValue(), dataLen, source));
      }
    }
    infos.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
    long expected = 0;
    for (Info i : infos) {
      if (i.begin() != expected) {
        throw new RetortException(
            source + " tensor '" + i.name() + "'",
            "data_offsets start at "
                + i.begin()
                + " but the previous tensor ends at "
                + expected
                + " (tensors must tile the data section without gaps or overlaps)",
            "The file is corrupt; write it again");
      }
      expected = i.end();
    }
    if (expected != dataLen) {
      throw bad(
          source, "the tensors cover " + expected + " bytes but the data section has " + dataLen);
    }
    return infos;
  }

  private static void readMetadata(JsonNode node, String source, Map<String, String> metadata) {
    if (!node.isObject()) {
      throw bad(source, "__metadata__ is not an object of strings");
    }
    var it = node.properties().iterator();
    while (it.hasNext()) {
      var m = it.next();
      if (!m.getValue().isTextual()) {
        throw bad(source, "__metadata__ value for '" + m.getKey() + "' is not a string");
      }
      metadata.put(m.getKey(), m.getValue().asText());
    }
  }

  private static Info parseInfo(String name, JsonNode node, long dataLen, String source) {
    String where = source + " tensor '" + name + "'";
    String fix = "The file is corrupt or was not written by a safetensors library";
    JsonNode dt = node.path("dtype");
    JsonNode shapeNode = node.path("shape");
    JsonNode offs = node.path("data_offsets");
    if (!dt.isTextual() || !shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
      throw new RetortException(where, "needs dtype, shape and data_offsets [begin, end]", fix);
    }
    DType dtype;
    try {
      dtype = DType.valueOf(dt.asText());
    } catch (IllegalArgumentException e) {
      throw new RetortException(
          where,
          "has dtype " + dt.asText() + ", which is not supported",
          "Convert the file to F32, F16, BF16, I64, I32, I8 or U8");
    }
    long[] shape = new long[shapeNode.size()];
    for (int k = 0; k < shape.length; k++) {
      JsonNode d = shapeNode.get(k);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
        throw new RetortException(where, "has an invalid dimension " + d, fix);
      }
      shape[k] = d.asLong();
    }
    if (!offs.get(0).isIntegralNumber() || !offs.get(1).isIntegralNumber()) {
      throw new RetortException(where, "data_offsets are not integers", fix);
    }
    long begin = offs.get(0).asLong();
    long end = offs.get(1).asLong();
    if (begin < 0 || end < begin || end > dataLen) {
      throw new RetortException(
          where,
          "data_offsets ["
              + begin
              + ", "
              + end
              + "] lie outside the data section of "
              + dataLen
              + " bytes",
          fix);
    }
    long need;
    try {
      need = Math.multiplyExact(HostTensor.numel(shape), (long) dtype.bytes());
    } catch (ArithmeticException e) {
      throw new RetortException(where, "shape overflows", fix);
    }
    if (need != end - begin) {
      throw new RetortException(
          where,
          "shape "
              + java.util.Arrays.toString(shape)
              + " of "
              + dtype
              + " needs "
              + need
              + " bytes but data_offsets give "
              + (end - begin),
          fix);
    }
    return new Info(name, dtype, shape, begin, end);
  }

  private static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos + dst.position());
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private static RetortException bad(String source, String what) {
    return new RetortException(
        source, what, "Check that this is a .safetensors file, or write it again");
  }
}

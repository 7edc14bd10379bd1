package dev.retort.core.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.core.io.DirectorySink;
import dev.retort.core.io.FileSink;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * Writes safetensors files the way the reference implementation does, so that Python's {@code
 * safetensors} and {@code transformers} read them.
 *
 * <p>Tensor data is laid out widest dtype first, then by name, so every tensor starts at a multiple
 * of its element width; the JSON header (compact, {@code __metadata__} first, tensor keys sorted)
 * is padded with spaces so that the data section starts at a multiple of 8 bytes. The file is
 * written to a temporary sibling and moved into place, so readers never see half a file.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsWriter() {}

  /**
   * Writes a state dict with its own metadata.
   *
   * @param file the target file (replaced if it exists)
   * @param sd the tensors; {@link StateDict#metadata()} becomes {@code __metadata__}
   * @throws IOException if writing fails
   */
  public static void write(Path file, StateDict sd) throws IOException {
    write(file, sd, sd.metadata());
  }

  /**
   * Writes tensors with the given metadata.
   *
   * @param file the target file (replaced if it exists)
   * @param sd the tensors
   * @param metadata string metadata, e.g. {@code {"format": "pt"}} for transformers
   * @throws IOException if writing fails
   */
  public static void write(Path file, StateDict sd, Map<String, String> metadata)
      throws IOException {
    new DirectorySink(file.toAbsolutePath().getParent())
        .write(file.getFileName().toString(), ch -> write(ch, sd, metadata));
  }

  /**
   * Writes tensors with the given metadata to a channel, e.g. one file of a {@link
   * dev.retort.core.io.FileSink}.
   *
   * @param ch where the file's bytes go (not closed)
   * @param sd the tensors
   * @param metadata string metadata, e.g. {@code {"format": "pt"}} for transformers
   * @throws IOException if writing fails
   */
  public static void write(WritableByteChannel ch, StateDict sd, Map<String, String> metadata)
      throws IOException {
    List<Entry<String, HostTensor>> layout = layout(sd);
    byte[] header = header(layout, metadata);
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    len.putLong(0, header.length);
    FileSink.writeFully(ch, len);
    FileSink.writeFully(ch, ByteBuffer.wrap(header));
    for (Entry<String, HostTensor> e : layout) {
      FileSink.writeFully(ch, e.getValue().data());
    }
  }

  /** Orders tensors as they will be stored: widest element type first, then by name. */
  static List<Entry<String, HostTensor>> layout(StateDict sd) {
    List<Entry<String, HostTensor>> l = new ArrayList<>(sd.asMap().entrySet());
    for (Entry<String, HostTensor> e : l) {
      if (e.getKey().equals("__metadata__")) {
        throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
      }
    }
    l.sort(
        Comparator.<Entry<String, HostTensor>>comparingInt(e -> -e.getValue().dtype().bytes())
            .thenComparing(Entry::getKey));
    return l;
  }

  /**
   * Builds the padded JSON header.
   *
   * @param layout tensors in storage order
   * @param metadata string metadata (omitted when empty)
   * @return UTF-8 JSON, padded with spaces so that {@code 8 + length} is a multiple of 8
   */
  static byte[] header(List<Entry<String, HostTensor>> layout, Map<String, String> metadata)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode m = root.putObject("__metadata__");
      metadata.forEach(m::put);
    }
    long[][] offsets = new long[layout.size()][];
    long pos = 0;
    for (int i = 0; i < layout.size(); i++) {
      long n = layout.get(i).getValue().data().remaining();
      offsets[i] = new long[] {pos, pos + n};
      pos += n;
    }
    Integer[] byName = new Integer[layout.size()];
    Arrays.setAll(byName, i -> i);
    Arrays.sort(byName, Comparator.comparing(i -> layout.get(i).getKey()));
    for (int i : byName) {
      HostTensor t = layout.get(i).getValue();
      ObjectNode e = root.putObject(layout.get(i).getKey());
      e.put("dtype", t.dtype().name());
      var shape = e.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      e.putArray("data_offsets").add(offsets[i][0]).add(offsets[i][1]);
    }
    byte[] json = JSON.writeValueAsBytes(root);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }
}

package dev.retort.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.SafetensorsReader;
import dev.retort.core.weights.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes and reads {@link Checkpoint}s as one safetensors file.
 *
 * <p>Writing goes to a temporary file that is flushed to disk and then renamed over the target, so
 * a kill during the write leaves the previous file intact. A SHA-256 over every tensor (name, type,
 * shape, bytes) is stored in the metadata and verified on load: a truncated or altered file is
 * reported, never loaded.
 */
public final class CheckpointIo {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATE = "retort.state";
  private static final String DIGEST = "retort.sha256";
  private static final String INFO = "retort.info.";
  private static final String OPT_STEP = "retort.optimizer.step";

  private CheckpointIo() {}

  /**
   * Writes a checkpoint atomically.
   *
   * @param file the target file
   * @param c the checkpoint
   * @throws IOException if the write fails (the previous file, if any, is kept)
   */
  public static void write(Path file, Checkpoint c) throws IOException {
    StateDict all = new StateDict(file.toString());
    c.model().asMap().forEach((k, v) -> all.put("model." + k, v));
    c.modules().forEach((m, sd) -> sd.asMap().forEach((k, v) -> all.put("modules." + m + "." + k, v)));
    c.optimizer().asMap().forEach((k, v) -> all.put("optimizer." + k, v));
    c.method().asMap().forEach((k, v) -> all.put("method." + k, v));
    Map<String, String> meta = new TreeMap<>();
    meta.put(STATE, JSON.writeValueAsString(c.state()));
    meta.put(DIGEST, digest(all));
    meta.put(OPT_STEP, c.optimizer().metadata().getOrDefault("step", "0"));
    c.method().metadata().forEach((k, v) -> meta.put("retort.method." + k, v));
    c.info().forEach((k, v) -> meta.put(INFO + k, v));
    SafetensorsWriter.write(file, all, meta);
  }

  /**
   * Reads and verifies a checkpoint.
   *
   * @param file the file
   * @return the checkpoint
   * @throws RetortException if the file is missing, unreadable, or its checksum does not match
   */
  public static Checkpoint read(Path file) {
    StateDict all = SafetensorsReader.read(file);
    Map<String, String> meta = all.metadata();
    String expected = meta.get(DIGEST);
    if (expected == null || meta.get(STATE) == null) {
      throw new RetortException(file.toString(), "not a retort checkpoint (no state or checksum)", "Point at a file written by retort");
    }
    String actual = digest(all);
    if (!expected.equals(actual)) {
      throw new RetortException(
          file.toString(),
          "checksum mismatch: the checkpoint is corrupt or incomplete",
          "Resume from an earlier checkpoint; retort picks the newest intact one automatically");
    }
    TrainState state;
    try {
      state = JSON.readValue(meta.get(STATE), TrainState.class);
    } catch (IOException e) {
      throw new RetortException(file.toString(), "unreadable training state: " + e.getMessage(), "The file is damaged", e);
    }
    StateDict model = new StateDict(file + " (model)");
    StateDict optimizer = new StateDict(file + " (optimizer)");
    StateDict method = new StateDict(file + " (method)");
    Map<String, StateDict> modules = new LinkedHashMap<>();
    for (var e : all.asMap().entrySet()) {
      String k = e.getKey();
      if (k.startsWith("model.")) {
        model.put(k.substring(6), e.getValue());
      } else if (k.startsWith("optimizer.")) {
        optimizer.put(k.substring(10), e.getValue());
      } else if (k.startsWith("method.")) {
        method.put(k.substring(7), e.getValue());
      } else if (k.startsWith("modules.")) {
        String rest = k.substring(8);
        int dot = rest.indexOf('.');
        modules.computeIfAbsent(rest.substring(0, dot), n -> new StateDict(file + " (" + n + ")"))
            .put(rest.substring(dot + 1), e.getValue());
      }
    }
    optimizer.metadata().put("step", meta.getOrDefault(OPT_STEP, "0"));
    Map<String, String> info = new LinkedHashMap<>();
    meta.forEach((k, v) -> {
      if (k.startsWith(INFO)) {
        info.put(k.substring(INFO.length()), v);
      } else if (k.startsWith("retort.method.")) {
        method.metadata().put(k.substring("retort.method.".length()), v);
      }
    });
    return new Checkpoint(state, model, modules, optimizer, method, info);
  }

  /** SHA-256 over the tensors in name order: name, dtype, shape and bytes. */
  static String digest(StateDict sd) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (var e : new TreeMap<>(sd.asMap()).entrySet()) {
        HostTensor t = e.getValue();
        md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        md.update(t.dtype().name().getBytes(StandardCharsets.UTF_8));
        ByteBuffer shape = ByteBuffer.allocate(8 * t.rank());
        for (long d : t.shape()) {
          shape.putLong(d);
        }
        md.update(shape.flip());
        md.update(t.data());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}

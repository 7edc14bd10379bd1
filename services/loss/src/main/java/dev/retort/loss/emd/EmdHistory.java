package dev.retort.loss.emd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.core.distill.emd.EmdLayerWeights;
import dev.retort.loss.config.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The last few EMD layer weights of a job, newest last, in {@code emd-history.json}: {@code
 * {"entries": [{"step": 12, "student_att": [...], "teacher_att": [...], "student_hid": [...],
 * "teacher_hid": [...]}, ...]}}. For inspection and dashboards; the trainer's checkpoint holds the
 * weights it resumes from.
 */
public final class EmdHistory {
  /** The file name inside a job's loss directory. */
  public static final String FILE = "emd-history.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private EmdHistory() {}

  /**
   * Appends the weights a step produced, keeping the newest {@code keep} entries.
   *
   * @param file the history file
   * @param step the step
   * @param next the next weights
   * @param keep how many entries to keep
   * @throws IOException if the file cannot be read or written
   */
  public static void append(Path file, long step, EmdLayerWeights next, int keep)
      throws IOException {
    ObjectNode root = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile())
        : JSON.createObjectNode();
    ArrayNode entries = root.withArray("entries");
    ObjectNode e = JSON.createObjectNode().put("step", step);
    for (Map.Entry<String, double[]> v : next.toMap().entrySet()) {
      ArrayNode values = e.putArray(v.getKey());
      for (double d : v.getValue()) {
        values.add(d);
      }
    }
    entries.add(e);
    while (entries.size() > keep) {
      entries.remove(0);
    }
    ArtifactStore.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  /**
   * Reads the newest entry.
   *
   * @param file the history file
   * @return the step and weights, or null when there is none
   * @throws IOException if the file cannot be read
   */
  public static Entry newest(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    ArrayNode entries = JSON.readTree(file.toFile()).withArray("entries");
    if (entries.isEmpty()) {
      return null;
    }
    var e = entries.get(entries.size() - 1);
    Map<String, double[]> map = new java.util.LinkedHashMap<>();
    for (String k : new String[] {EmdLayerWeights.STUDENT_ATT, EmdLayerWeights.TEACHER_ATT,
        EmdLayerWeights.STUDENT_HID, EmdLayerWeights.TEACHER_HID}) {
      double[] v = new double[e.path(k).size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = e.path(k).get(i).asDouble();
      }
      map.put(k, v);
    }
    return new Entry(e.path("step").asLong(), EmdLayerWeights.fromMap(map));
  }

  /**
   * One history entry.
   *
   * @param step the step that produced the weights
   * @param next the weights for the step after it
   */
  public record Entry(long step, EmdLayerWeights next) {}
}

package dev.retort.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Reads job files and derives jobs with a few keys overridden (what {@code compare} runs). */
public final class JobFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JobParser PARSER = new JobParser(JobSchema.root());

  private JobFiles() {}

  /**
   * Parses a job file against the schema.
   *
   * @param file the YAML file
   * @return the values with defaults
   * @throws dev.retort.core.RetortException naming file, line and key if it does not fit
   */
  public static ConfigValues parse(Path file) {
    return PARSER.parse(file);
  }

  /**
   * Parses job text (a bundled example, a request).
   *
   * @param text YAML or JSON
   * @param source a name for error messages
   * @return the values with defaults
   */
  public static ConfigValues parse(String text, String source) {
    return PARSER.parse(text, source);
  }

  /**
   * Returns a job's name: its {@code name} key, else the file name without extension.
   *
   * @param job the parsed job
   * @param file the file it came from
   * @return the name
   */
  public static String name(ConfigValues job, Path file) {
    if (job.has("name")) {
      return job.str("name");
    }
    String f = file.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return dot > 0 ? f.substring(0, dot) : f;
  }

  /**
   * Derives a job with some keys replaced: the keys the user set, plus the overrides, parsed again
   * against the schema (so an override is checked like a key in a file, and defaults stay
   * defaults).
   *
   * @param job the parsed job
   * @param overrides values by dotted key ({@code distill.method}), as the YAML would hold them
   * @return the derived job; its source names the overrides
   */
  public static ConfigValues withOverrides(ConfigValues job, Map<String, Object> overrides) {
    Map<String, Object> tree = job.explicitTree();
    StringJoiner shown = new StringJoiner(", ", job.source() + " (with ", ")");
    for (var e : overrides.entrySet()) {
      put(tree, e.getKey(), e.getValue());
      shown.add(e.getKey() + "=" + e.getValue());
    }
    try {
      return PARSER.parse(
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree), shown.toString());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise overrides " + overrides, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> tree, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = node.computeIfAbsent(parts[i], k -> new TreeMap<String, Object>());
      if (!(next instanceof Map)) {
        throw new IllegalArgumentException(path + ": " + parts[i] + " is a value, not a section");
      }
      node = (Map<String, Object>) next;
    }
    node.put(parts[parts.length - 1], value);
  }
}

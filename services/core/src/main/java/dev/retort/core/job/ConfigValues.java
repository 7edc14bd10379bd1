package dev.retort.core.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The typed values of a parsed job file, by dotted path ({@code distill.emd.beta}), with defaults
 * filled in. Paths the user set explicitly are remembered, so that method-dependent defaults
 * ({@code auto}) can be resolved.
 */
public final class ConfigValues {
  private final String source;
  private final Map<String, Object> values;
  private final Set<String> explicit;

  ConfigValues(String source, Map<String, Object> values, Set<String> explicit) {
    this.source = source;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.explicit = Set.copyOf(explicit);
  }

  /** Returns where the values came from (a file, a request), for error messages. */
  public String source() {
    return source;
  }

  /** Returns whether the user set this path explicitly. */
  public boolean isSet(String path) {
    return explicit.contains(path);
  }

  /** Returns whether the path has a value (explicit or default). */
  public boolean has(String path) {
    return values.get(path) != null;
  }

  /** Returns a string value or null. */
  public String str(String path) {
    return (String) values.get(path);
  }

  /** Returns an integer value or null. */
  public Long integer(String path) {
    return (Long) values.get(path);
  }

  /** Returns an integer value, which must be present. */
  public int intValue(String path) {
    return Math.toIntExact(require(path, Long.class));
  }

  /** Returns a number value or null. */
  public Double number(String path) {
    return (Double) values.get(path);
  }

  /** Returns a number value, which must be present. */
  public double doubleValue(String path) {
    return require(path, Double.class);
  }

  /** Returns a boolean value, which must be present. */
  public boolean bool(String path) {
    return require(path, Boolean.class);
  }

  /** Returns a list of integers or null. */
  @SuppressWarnings("unchecked")
  public List<Long> integers(String path) {
    return (List<Long>) values.get(path);
  }

  /** Returns a list of strings or null. */
  @SuppressWarnings("unchecked")
  public List<String> strings(String path) {
    return (List<String>) values.get(path);
  }

  /** Returns a string map or null. */
  @SuppressWarnings("unchecked")
  public Map<String, String> stringMap(String path) {
    return (Map<String, String>) values.get(path);
  }

  private <T> T require(String path, Class<T> type) {
    Object v = values.get(path);
    if (v == null) {
      throw new dev.retort.core.RetortException(source, "key '" + path + "' is required", "Add it to the job file");
    }
    return type.cast(v);
  }

  /** Returns every value by path, sorted, as a plain JSON-like tree (for events and requests). */
  public Map<String, Object> asTree() {
    return tree(false);
  }

  /**
   * Returns only the values the user set, as a tree like {@link #asTree()}: parsing it again gives
   * the same values, with defaults (and {@code auto} resolutions) still treated as defaults. Used
   * to derive a job with a few keys overridden.
   */
  public Map<String, Object> explicitTree() {
    return tree(true);
  }

  private Map<String, Object> tree(boolean explicitOnly) {
    Map<String, Object> root = new TreeMap<>();
    for (var e : values.entrySet()) {
      if (e.getValue() == null || (explicitOnly && !explicit.contains(e.getKey()))) {
        continue;
      }
      String[] parts = e.getKey().split("\\.");
      Map<String, Object> node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> next = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new TreeMap<String, Object>());
        node = next;
      }
      node.put(parts[parts.length - 1], e.getValue());
    }
    return root;
  }
}

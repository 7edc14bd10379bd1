package dev.retort.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Kustomize's {@code configMapGenerator}: ConfigMaps from files ({@code path} or {@code
 * key=path}) and literals ({@code key=value}), created, or merged into or replacing one from the
 * resources. Name-suffix hashes are not implemented: a generator must set {@code
 * disableNameSuffixHash} (in its options or in {@code generatorOptions}), so names are stable.
 */
final class ConfigMapGenerator {
  private static final Set<String> FIELDS = Set.of("name", "namespace", "behavior", "files", "literals", "options");

  private ConfigMapGenerator() {}

  /**
   * Runs every generator of a kustomization.
   *
   * @param dir the kustomization's directory
   * @param generators the {@code configMapGenerator} list
   * @param globalOptions the {@code generatorOptions} block (may be missing)
   * @param objects the accumulated objects, changed in place
   * @param source the kustomization file, for errors
   */
  static void run(Path dir, JsonNode generators, JsonNode globalOptions, List<ObjectNode> objects, String source) {
    for (JsonNode g : generators) {
      g.fieldNames().forEachRemaining(f -> {
        if (!FIELDS.contains(f)) {
          throw new KustomizeException(source + ": configMapGenerator field '" + f + "' is not supported");
        }
      });
      String name = g.path("name").asText(null);
      if (name == null) {
        throw new KustomizeException(source + ": a configMapGenerator needs a name");
      }
      JsonNode options = g.path("options");
      boolean noHash = options.path("disableNameSuffixHash").asBoolean(globalOptions.path("disableNameSuffixHash").asBoolean(false));
      if (!noHash) {
        throw new KustomizeException(source + ": ConfigMap " + name + ": name-suffix hashes are not implemented here; set disableNameSuffixHash: true");
      }
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      for (JsonNode f : g.path("files")) {
        String spec = f.asText();
        int eq = spec.indexOf('=');
        String key = eq < 0 ? Path.of(spec).getFileName().toString() : spec.substring(0, eq);
        Path file = Kustomize.inside(dir, eq < 0 ? spec : spec.substring(eq + 1), source);
        try {
          data.put(key, Files.readString(file));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      for (JsonNode l : g.path("literals")) {
        String[] kv = l.asText().split("=", 2);
        data.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
      apply(g, name, data, globalOptions, objects, source);
    }
  }

  private static void apply(JsonNode g, String name, ObjectNode data, JsonNode globalOptions,
      List<ObjectNode> objects, String source) {
    String behavior = g.path("behavior").asText("create");
    ObjectNode existing = objects.stream()
        .filter(o -> o.path("kind").asText().equals("ConfigMap") && o.path("metadata").path("name").asText().equals(name))
        .findFirst().orElse(null);
    ObjectNode cm;
    switch (behavior) {
      case "create" -> {
        if (existing != null) {
          throw new KustomizeException(source + ": ConfigMap " + name + " exists already; use behavior merge or replace");
        }
        cm = JsonNodeFactory.instance.objectNode();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", name);
        objects.add(cm);
      }
      case "merge", "replace" -> {
        if (existing == null) {
          throw new KustomizeException(source + ": ConfigMap " + name + " to " + behavior + " does not exist");
        }
        cm = existing;
        if (behavior.equals("replace")) {
          cm.remove("data");
        }
      }
      default -> throw new KustomizeException(source + ": unknown behavior '" + behavior + "'");
    }
    if (g.has("namespace")) {
      ((ObjectNode) cm.get("metadata")).put("namespace", g.get("namespace").asText());
    }
    ObjectNode target = cm.has("data") ? (ObjectNode) cm.get("data") : cm.putObject("data");
    target.setAll(data);
    for (JsonNode options : List.of(globalOptions, g.path("options"))) {
      for (String field : List.of("labels", "annotations")) {
        if (options.has(field)) {
          ObjectNode meta = (ObjectNode) cm.get("metadata");
          ObjectNode m = meta.has(field) ? (ObjectNode) meta.get(field) : meta.putObject(field);
          m.setAll((ObjectNode) options.get(field).deepCopy());
        }
      }
    }
  }
}

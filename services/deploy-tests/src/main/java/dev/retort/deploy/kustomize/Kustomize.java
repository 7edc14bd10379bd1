package dev.retort.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds a kustomization directory into its Kubernetes objects, in Kustomize's order: resources,
 * then components (each applied to everything accumulated so far), then generators, then
 * transformers (patches, namespace, labels, images). See the package documentation for what is
 * supported.
 */
public final class Kustomize {
  private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "components",
      "namespace", "commonLabels", "labels", "configMapGenerator", "generatorOptions", "patches", "images");
  private static final String KUSTOMIZATION = "Kustomization";
  private static final String COMPONENT = "Component";

  private Kustomize() {}

  /**
   * Builds a kustomization.
   *
   * @param dir a directory with a {@code kustomization.yaml}
   * @return the objects, in the order resources were listed
   * @throws KustomizeException if the kustomization is invalid or uses an unsupported feature
   */
  public static List<ObjectNode> build(Path dir) {
    List<ObjectNode> objects = new ArrayList<>();
    accumulate(dir.toAbsolutePath().normalize(), KUSTOMIZATION, objects);
    return objects;
  }

  private static void accumulate(Path dir, String expectedKind, List<ObjectNode> objects) {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new KustomizeException(dir + ": no kustomization.yaml");
    }
    String source = file.toString();
    ObjectNode k = Yaml.readObject(file);
    k.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        throw new KustomizeException(source + ": field '" + f + "' is not supported by this build");
      }
    });
    String kind = k.path("kind").asText(KUSTOMIZATION);
    if (!kind.equals(expectedKind)) {
      throw new KustomizeException(source + ": expected kind " + expectedKind + ", found " + kind);
    }
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        addAll(objects, build(p), source);
      } else {
        List<ObjectNode> docs = new ArrayList<>();
        for (JsonNode d : Yaml.readAll(inside(dir, r.asText(), source))) {
          if (!d.isObject() || !d.has("kind") || !d.has("apiVersion")) {
            throw new KustomizeException(p + ": a resource needs apiVersion and kind");
          }
          docs.add((ObjectNode) d);
        }
        addAll(objects, docs, source);
      }
    }
    for (JsonNode c : k.path("components")) {
      accumulate(dir.resolve(c.asText()).normalize(), COMPONENT, objects);
    }
    if (k.has("configMapGenerator")) {
      ConfigMapGenerator.run(dir, k.get("configMapGenerator"), k.path("generatorOptions"), objects, source);
    }
    for (JsonNode p : k.path("patches")) {
      patch(dir, p, objects, source);
    }
    if (k.has("namespace")) {
      Transformers.namespace(objects, k.get("namespace").asText());
    }
    if (k.has("commonLabels")) {
      Transformers.commonLabels(objects, k.get("commonLabels"));
    }
    for (JsonNode l : k.path("labels")) {
      Transformers.labels(objects, l, source);
    }
    if (k.has("images")) {
      Transformers.images(objects, k.get("images"));
    }
    checkUnique(objects, source);
  }

  private static void addAll(List<ObjectNode> objects, List<ObjectNode> more, String source) {
    objects.addAll(more);
    checkUnique(objects, source);
  }

  private static void checkUnique(List<ObjectNode> objects, String source) {
    for (int i = 0; i < objects.size(); i++) {
      for (int j = i + 1; j < objects.size(); j++) {
        if (ResourceId.of(objects.get(i)).sameObject(ResourceId.of(objects.get(j)))) {
          throw new KustomizeException(source + ": " + ResourceId.of(objects.get(i)) + " is defined twice");
        }
      }
    }
  }

  private static void patch(Path dir, JsonNode entry, List<ObjectNode> objects, String source) {
    String where;
    List<JsonNode> docs;
    if (entry.has("path")) {
      Path file = inside(dir, entry.get("path").asText(), source);
      where = file.toString();
      docs = Yaml.readAll(file);
    } else if (entry.has("patch")) {
      where = source + " (inline patch)";
      docs = Yaml.readAll(entry.get("patch").asText(), where);
    } else {
      throw new KustomizeException(source + ": a patch needs path or patch");
    }
    PatchTarget target = entry.has("target") ? PatchTarget.of(entry.get("target"), source) : null;
    boolean json6902 = docs.size() == 1 && docs.get(0).isArray();
    if (json6902 && target == null) {
      throw new KustomizeException(where + ": a JSON patch needs a target");
    }
    for (JsonNode doc : json6902 ? List.of(JsonNodeFactory.instance.arrayNode().add(docs.get(0))) : docs) {
      PatchTarget t = target != null ? target : PatchTarget.ofPatch(doc);
      int matched = 0;
      for (ObjectNode o : objects) {
        if (t.matches(o)) {
          matched++;
          if (json6902) {
            JsonPatch.apply(o, doc.get(0), where);
          } else {
            ObjectNode smp = ((ObjectNode) doc).deepCopy();
            if (target != null) {
              smp.remove("metadata"); // the target, not the patch, names the objects
            }
            StrategicMerge.apply(o, smp, ResourceId.of(o).builtIn());
          }
        }
      }
      if (matched == 0) {
        throw new KustomizeException(where + ": the patch matches no object (" + t + ")");
      }
    }
  }

  /**
   * Resolves a file of a kustomization, which must lie inside its directory.
   *
   * @param dir the kustomization's directory
   * @param relative the path as written
   * @param source the kustomization file, for errors
   * @return the file
   */
  static Path inside(Path dir, String relative, String source) {
    Path p = dir.resolve(relative).normalize();
    if (!p.startsWith(dir)) {
      throw new KustomizeException(source + ": '" + relative + "' is outside the kustomization's directory");
    }
    if (!Files.isRegularFile(p)) {
      throw new KustomizeException(source + ": '" + relative + "' does not exist");
    }
    return p;
  }
}

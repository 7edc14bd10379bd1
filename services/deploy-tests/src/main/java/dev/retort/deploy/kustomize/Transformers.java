package dev.retort.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Kustomize's namespace, label and image transformers. */
final class Transformers {
  /** Kinds whose pod template and selector carry labels. */
  private static final Set<String> WORKLOADS = Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet");
  private static final Set<String> LABEL_FIELDS = Set.of("pairs", "includeSelectors", "includeTemplates");

  private Transformers() {}

  /** Sets the namespace of every namespaced object. */
  static void namespace(List<ObjectNode> objects, String namespace) {
    for (ObjectNode o : objects) {
      if (!ResourceId.of(o).clusterScoped()) {
        metadata(o).put("namespace", namespace);
      }
    }
  }

  /** {@code commonLabels}: labels on every object, its selectors and its pod templates. */
  static void commonLabels(List<ObjectNode> objects, JsonNode labels) {
    for (ObjectNode o : objects) {
      addLabels(o, labels, true, true);
    }
  }

  /** One entry of {@code labels}. */
  static void labels(List<ObjectNode> objects, JsonNode entry, String source) {
    entry.fieldNames().forEachRemaining(f -> {
      if (!LABEL_FIELDS.contains(f)) {
        throw new KustomizeException(source + ": labels field '" + f + "' is not supported");
      }
    });
    boolean selectors = entry.path("includeSelectors").asBoolean(false);
    boolean templates = selectors || entry.path("includeTemplates").asBoolean(false);
    for (ObjectNode o : objects) {
      addLabels(o, entry.path("pairs"), selectors, templates);
    }
  }

  private static void addLabels(ObjectNode o, JsonNode pairs, boolean selectors, boolean templates) {
    put(metadata(o), "labels", pairs);
    String kind = o.path("kind").asText();
    ObjectNode spec = o.has("spec") ? (ObjectNode) o.get("spec") : null;
    if (spec == null) {
      return;
    }
    if (WORKLOADS.contains(kind)) {
      if (templates) {
        put(child(child(spec, "template"), "metadata"), "labels", pairs);
      }
      if (selectors) {
        put(child(spec, "selector"), "matchLabels", pairs);
      }
    } else if (kind.equals("Service") && selectors) {
      put(spec, "selector", pairs);
    } else if (kind.equals("Job") && templates) {
      put(child(child(spec, "template"), "metadata"), "labels", pairs);
    } else if (kind.equals("CronJob") && templates) {
      put(child(child(child(child(spec, "jobTemplate"), "spec"), "template"), "metadata"), "labels", pairs);
    }
  }

  /** {@code images}: new names, tags or digests for matching container images, anywhere. */
  static void images(List<ObjectNode> objects, JsonNode images) {
    for (ObjectNode o : objects) {
      walk(o, images);
    }
  }

  private static void walk(JsonNode node, JsonNode images) {
    if (node.isObject()) {
      for (String f : List.of("containers", "initContainers")) {
        if (node.path(f).isArray()) {
          for (JsonNode c : node.get(f)) {
            if (c.has("image")) {
              ((ObjectNode) c).put("image", rename(c.get("image").asText(), images));
            }
          }
        }
      }
      node.elements().forEachRemaining(child -> walk(child, images));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> walk(child, images));
    }
  }

  /** Returns the image reference after the first matching rule (matched by name, without tag). */
  static String rename(String image, JsonNode images) {
    String digest = "";
    int at = image.indexOf('@');
    if (at >= 0) {
      digest = image.substring(at);
      image = image.substring(0, at);
    }
    String tag = "";
    int colon = image.lastIndexOf(':');
    if (colon > image.lastIndexOf('/')) {
      tag = image.substring(colon);
      image = image.substring(0, colon);
    }
    for (JsonNode rule : images) {
      if (rule.path("name").asText().equals(image)) {
        String name = rule.path("newName").asText(image);
        if (rule.has("digest")) {
          return name + "@" + rule.get("digest").asText();
        }
        return name + (rule.has("newTag") ? ":" + rule.get("newTag").asText() : tag) + digest;
      }
    }
    return image + tag + digest;
  }

  private static ObjectNode metadata(ObjectNode o) {
    return child(o, "metadata");
  }

  private static ObjectNode child(ObjectNode parent, String field) {
    JsonNode c = parent.get(field);
    return c != null && c.isObject() ? (ObjectNode) c : parent.putObject(field);
  }

  private static void put(ObjectNode parent, String field, JsonNode pairs) {
    ObjectNode target = child(parent, field);
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) pairs::fields) {
      target.put(e.getKey(), e.getValue().asText());
    }
  }
}

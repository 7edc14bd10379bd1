package dev.retort.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Applies a strategic-merge patch: maps merge key by key ({@code null} deletes a key); lists of the
 * core API kinds that Kubernetes merges by key (containers and volumes by name, volume mounts by
 * mount path, container ports by container port, ...) merge element by element; any other list is
 * replaced. Custom resources have no merge keys, as in Kustomize: their lists are replaced.
 */
public final class StrategicMerge {
  /** Field name to merge key, for the core kinds (from the Kubernetes API's patchMergeKey). */
  private static final Map<String, List<String>> MERGE_KEYS = Map.of(
      "containers", List.of("name"),
      "initContainers", List.of("name"),
      "ephemeralContainers", List.of("name"),
      "volumes", List.of("name"),
      "env", List.of("name"),
      "volumeMounts", List.of("mountPath"),
      "imagePullSecrets", List.of("name"),
      "ports", List.of("containerPort", "port"),
      "hostAliases", List.of("ip"));

  private StrategicMerge() {}

  /**
   * Merges a patch into an object, in place.
   *
   * @param target the object to change
   * @param patch the patch
   * @param builtIn whether the object is of a core kind (lists merge by key)
   */
  public static void apply(ObjectNode target, JsonNode patch, boolean builtIn) {
    merge(target, patch, builtIn);
  }

  private static void merge(ObjectNode target, JsonNode patch, boolean builtIn) {
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      JsonNode value = f.getValue();
      JsonNode current = target.get(key);
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject() && current != null && current.isObject()) {
        merge((ObjectNode) current, value, builtIn);
      } else if (value.isArray() && current != null && current.isArray() && builtIn
          && MERGE_KEYS.containsKey(key)) {
        mergeList((ArrayNode) current, (ArrayNode) value, MERGE_KEYS.get(key), builtIn);
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }

  private static void mergeList(ArrayNode current, ArrayNode patch, List<String> keys, boolean builtIn) {
    for (JsonNode item : patch) {
      String key = keys.stream().filter(item::has).findFirst().orElse(null);
      if (key == null || !item.isObject()) {
        current.add(item.deepCopy());
        continue;
      }
      ObjectNode match = null;
      for (JsonNode existing : current) {
        if (existing.isObject() && item.get(key).equals(existing.get(key))) {
          match = (ObjectNode) existing;
          break;
        }
      }
      if (match == null) {
        current.add(item.deepCopy());
      } else {
        merge(match, item, builtIn);
      }
    }
  }
}

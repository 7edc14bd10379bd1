package dev.retort.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * Selects the objects a patch applies to: group, version, kind, name and namespace (regular
 * expressions matching the whole value, as in Kustomize) and an equality-based label selector
 * ({@code a=b,c!=d,e}).
 *
 * @param group the API group, or null for any
 * @param version the API version, or null for any
 * @param kind the kind, or null for any
 * @param name the name, or null for any
 * @param namespace the namespace, or null for any
 * @param labelSelector the label selector, or null for any
 */
public record PatchTarget(String group, String version, String kind, String name, String namespace,
    String labelSelector) {

  /**
   * Reads a {@code target} block.
   *
   * @param node the block
   * @param source the kustomization file, for errors
   * @return the selector
   */
  public static PatchTarget of(JsonNode node, String source) {
    node.fieldNames().forEachRemaining(f -> {
      if (!java.util.Set.of("group", "version", "kind", "name", "namespace", "labelSelector").contains(f)) {
        throw new KustomizeException(source + ": patch target field '" + f + "' is not supported");
      }
    });
    return new PatchTarget(text(node, "group"), text(node, "version"), text(node, "kind"),
        text(node, "name"), text(node, "namespace"), text(node, "labelSelector"));
  }

  /**
   * Returns the selector of a strategic-merge patch without a target: its own kind and name.
   *
   * @param patch the patch
   * @return the selector
   */
  public static PatchTarget ofPatch(JsonNode patch) {
    ResourceId id = ResourceId.of(patch);
    return new PatchTarget(id.group(), null, id.kind(), Pattern.quote(id.name()),
        id.namespace().isEmpty() ? null : Pattern.quote(id.namespace()), null);
  }

  private static String text(JsonNode node, String field) {
    return node.has(field) ? node.get(field).asText() : null;
  }

  /**
   * Returns whether an object is selected.
   *
   * @param object the object
   * @return whether the patch applies to it
   */
  public boolean matches(JsonNode object) {
    ResourceId id = ResourceId.of(object);
    return (group == null || group.equals(id.group()))
        && (version == null || version.equals(id.version()))
        && full(kind, id.kind()) && full(name, id.name()) && full(namespace, id.namespace())
        && labelsMatch(object.path("metadata").path("labels"));
  }

  private static boolean full(String regex, String value) {
    return regex == null || Pattern.compile(regex).matcher(value).matches();
  }

  private boolean labelsMatch(JsonNode labels) {
    if (labelSelector == null || labelSelector.isBlank()) {
      return true;
    }
    for (String term : labelSelector.split(",")) {
      String t = term.strip();
      if (t.contains("!=")) {
        String[] kv = t.split("!=", 2);
        if (kv[1].strip().equals(labels.path(kv[0].strip()).asText(null))) {
          return false;
        }
      } else if (t.contains("=")) {
        String[] kv = t.split("==?", 2);
        if (!kv[1].strip().equals(labels.path(kv[0].strip()).asText(null))) {
          return false;
        }
      } else if (!labels.has(t)) {
        return false;
      }
    }
    return true;
  }
}

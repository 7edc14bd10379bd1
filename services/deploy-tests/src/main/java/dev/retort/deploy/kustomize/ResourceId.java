package dev.retort.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Identifies a Kubernetes object the way Kustomize does: group, kind, namespace and name.
 *
 * @param group the API group ({@code ""} for the core group)
 * @param version the API version within the group
 * @param kind the kind
 * @param namespace the namespace ({@code ""} when unset or cluster-scoped)
 * @param name the name
 */
public record ResourceId(String group, String version, String kind, String namespace, String name) {

  /** Kinds that have no namespace; the namespace transformer leaves them alone. */
  private static final Set<String> CLUSTER_SCOPED = Set.of(
      "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
      "CustomResourceDefinition", "PriorityClass", "APIService", "MutatingWebhookConfiguration",
      "ValidatingWebhookConfiguration", "IngressClass", "RuntimeClass", "CSIDriver", "VolumeSnapshotClass");

  /**
   * Returns the id of an object.
   *
   * @param object a Kubernetes object
   * @return its id
   */
  public static ResourceId of(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    JsonNode meta = object.path("metadata");
    return new ResourceId(group, version, object.path("kind").asText(""),
        meta.path("namespace").asText(""), meta.path("name").asText(""));
  }

  /** Returns whether objects of this kind have no namespace. */
  public boolean clusterScoped() {
    return CLUSTER_SCOPED.contains(kind);
  }

  /** Returns whether this is a kind of the core API groups, whose lists merge by key. */
  public boolean builtIn() {
    return group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
  }

  /** Returns whether two ids name the same object (the version does not matter). */
  public boolean sameObject(ResourceId other) {
    return group.equals(other.group) && kind.equals(other.kind) && namespace.equals(other.namespace)
        && name.equals(other.name);
  }

  @Override
  public String toString() {
    return (group.isEmpty() ? "" : group + "/") + kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }
}

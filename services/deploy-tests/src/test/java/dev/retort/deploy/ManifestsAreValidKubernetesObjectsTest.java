package dev.retort.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every object of every overlay parses with fabric8's Kubernetes model: core kinds into their typed
 * classes with no field left over (a misspelt field would land in additionalProperties, which
 * Kubernetes would reject or ignore), custom resources (Strimzi, KEDA, Prometheus Operator) as
 * generic resources with the API versions their operators serve.
 */
class ManifestsAreValidKubernetesObjectsTest {
  private static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final Map<String, String> CUSTOM = Map.of(
      "Kafka", "kafka.strimzi.io/v1beta2",
      "KafkaNodePool", "kafka.strimzi.io/v1beta2",
      "KafkaTopic", "kafka.strimzi.io/v1beta2",
      "ScaledObject", "keda.sh/v1alpha1",
      "PodMonitor", "monitoring.coreos.com/v1");

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyObjectParsesAndTypedObjectsHaveNoUnknownFields(String overlay) throws Exception {
    List<ObjectNode> objects = Repo.overlay(overlay);
    assertThat(objects).isNotEmpty();
    for (ObjectNode o : objects) {
      HasMetadata parsed = K8S.unmarshal(o.toString(), HasMetadata.class);
      String kind = o.path("kind").asText();
      String where = overlay + ": " + kind + " " + parsed.getMetadata().getName();
      assertThat(parsed.getMetadata().getName()).as(where).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
      if (CUSTOM.containsKey(kind)) {
        assertThat(parsed).as(where).isInstanceOf(GenericKubernetesResource.class);
        assertThat(parsed.getApiVersion()).as(where).isEqualTo(CUSTOM.get(kind));
      } else {
        assertThat(parsed).as(where + " is a known kind").isNotInstanceOf(GenericKubernetesResource.class);
        List<String> unknown = new ArrayList<>();
        collectUnknown(parsed, kind, unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        assertThat(unknown).as(where + ": fields the Kubernetes API does not have").isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void namespacedObjectsAreInTheOverlaysNamespaceWhichTheOverlayCreates(String overlay) {
    String ns = overlay.equals("prod") ? "retort" : "retort-" + overlay;
    assertThat(Repo.object(overlay, "Namespace", ns)).isNotNull();
    for (ObjectNode o : Repo.overlay(overlay)) {
      if (!o.path("kind").asText().equals("Namespace")) {
        assertThat(o.at("/metadata/namespace").asText()).as(o.at("/metadata/name").asText()).isEqualTo(ns);
        assertThat(o.at("/metadata/labels/app.kubernetes.io~1part-of").asText()).isEqualTo("retort");
      }
    }
  }

  /** Walks the fabric8 model's getters and records every non-empty additionalProperties map. */
  private static void collectUnknown(Object node, String path, List<String> out, Set<Object> seen) throws Exception {
    if (node == null || !seen.add(node)) {
      return;
    }
    Class<?> type = node.getClass();
    if (node instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        collectUnknown(e, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        collectUnknown(e.getValue(), path + "." + e.getKey(), out, seen);
      }
      return;
    }
    if (!type.getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method m : type.getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v = m.invoke(node);
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + ": " + extra.keySet());
        }
      } else {
        collectUnknown(v, path + "." + m.getName().substring(3), out, seen);
      }
    }
  }
}

package dev.retort.deploy.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizeTest {
  @TempDir Path dir;

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
      spec:
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            tolerations: [{key: a, operator: Exists}]
            containers:
              - name: main
                image: example/web:1.0
                env: [{name: A, value: "1"}]
              - name: side
                image: example/side
      """;

  private void write(String path, String text) throws IOException {
    Path p = dir.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " not built"));
  }

  @Test
  void strategicMergeMergesContainersAndEnvByNameAndReplacesListsWithoutAKey() throws IOException {
    write("base/kustomization.yaml", "resources: [deployment.yaml]\n");
    write("base/deployment.yaml", DEPLOYMENT);
    write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n  - path: patch.yaml\n");
    write("overlay/patch.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              tolerations: [{key: b, operator: Exists}]
              containers:
                - name: main
                  env: [{name: B, value: "2"}]
                  resources: {limits: {nvidia.com/gpu: 1}}
        """);
    JsonNode spec = find(Kustomize.build(dir.resolve("overlay")), "Deployment", "web").at("/spec/template/spec");
    assertThat(spec.get("containers")).hasSize(2);
    JsonNode main = spec.at("/containers/0");
    assertThat(main.get("image").asText()).isEqualTo("example/web:1.0");
    assertThat(main.get("env").findValuesAsText("name")).containsExactly("A", "B");
    assertThat(main.at("/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
    assertThat(spec.get("tolerations").findValuesAsText("key")).containsExactly("b");
  }

  @Test
  void jsonPatchAppliesToEveryObjectTheTargetSelects() throws IOException {
    write("k/kustomization.yaml", """
        resources: [a.yaml]
        patches:
          - patch: |-
              - op: replace
                path: /spec/replicas
                value: 3
            target:
              kind: Deployment
              name: web-(a|b)
              labelSelector: tier=front
        """);
    write("k/a.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web-a, labels: {tier: front}}
        spec: {replicas: 1}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web-b, labels: {tier: back}}
        spec: {replicas: 1}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web-c, labels: {tier: front}}
        spec: {replicas: 1}
        """);
    List<ObjectNode> out = Kustomize.build(dir.resolve("k"));
    assertThat(find(out, "Deployment", "web-a").at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(find(out, "Deployment", "web-b").at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(find(out, "Deployment", "web-c").at("/spec/replicas").asInt()).isEqualTo(1);
  }

  @Test
  void componentsPatchWhatTheIncludingKustomizationAccumulatedAndAddTheirResources() throws IOException {
    write("base/kustomization.yaml", "resources: [deployment.yaml]\n");
    write("base/deployment.yaml", DEPLOYMENT);
    write("gpu/kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1alpha1
        kind: Component
        resources: [extra.yaml]
        patches:
          - path: gpu.yaml
        """);
    write("gpu/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n");
    write("gpu/gpu.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {nodeSelector: {gpu: \"true\"}}}}\n");
    write("overlay/kustomization.yaml", "resources: [../base]\ncomponents: [../gpu]\nnamespace: prod\n");
    List<ObjectNode> out = Kustomize.build(dir.resolve("overlay"));
    assertThat(find(out, "Deployment", "web").at("/spec/template/spec/nodeSelector/gpu").asText()).isEqualTo("true");
    assertThat(find(out, "ConfigMap", "extra").at("/metadata/namespace").asText()).isEqualTo("prod");
  }

  @Test
  void namespaceSkipsClusterScopedObjectsAndLabelsReachTemplatesButNotSelectors() throws IOException {
    write("k/kustomization.yaml", """
        namespace: team
        labels:
          - pairs: {part-of: shop}
            includeTemplates: true
        resources: [objects.yaml]
        """);
    write("k/objects.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\n" + DEPLOYMENT);
    List<ObjectNode> out = Kustomize.build(dir.resolve("k"));
    assertThat(find(out, "Namespace", "team").at("/metadata/namespace").isMissingNode()).isTrue();
    ObjectNode d = find(out, "Deployment", "web");
    assertThat(d.at("/metadata/namespace").asText()).isEqualTo("team");
    assertThat(d.at("/spec/template/metadata/labels/part-of").asText()).isEqualTo("shop");
    assertThat(d.at("/spec/selector/matchLabels/part-of").isMissingNode()).isTrue();
  }

  @Test
  void configMapGeneratorReadsFilesAndLiteralsAndMergesIntoAnExistingMap() throws IOException {
    write("base/kustomization.yaml", """
        configMapGenerator:
          - name: settings
            files: [app.properties, custom=other.txt]
            options: {disableNameSuffixHash: true, labels: {a: b}}
        """);
    write("base/app.properties", "x=1\n");
    write("base/other.txt", "hello");
    write("overlay/kustomization.yaml", """
        resources: [../base]
        generatorOptions: {disableNameSuffixHash: true}
        configMapGenerator:
          - name: settings
            behavior: merge
            literals: [MODE=dev]
        """);
    ObjectNode cm = find(Kustomize.build(dir.resolve("overlay")), "ConfigMap", "settings");
    assertThat(cm.at("/data/app.properties").asText()).isEqualTo("x=1\n");
    assertThat(cm.at("/data/custom").asText()).isEqualTo("hello");
    assertThat(cm.at("/data/MODE").asText()).isEqualTo("dev");
    assertThat(cm.at("/metadata/labels/a").asText()).isEqualTo("b");
  }

  @Test
  void generatedNamesMustBeStableBecauseHashesAreNotImplemented() throws IOException {
    write("k/kustomization.yaml", "configMapGenerator:\n  - name: s\n    literals: [a=b]\n");
    assertThatThrownBy(() -> Kustomize.build(dir.resolve("k"))).isInstanceOf(KustomizeException.class)
        .hasMessageContaining("disableNameSuffixHash");
  }

  @Test
  void filesOutsideTheKustomizationUnknownFieldsAndPatchesThatMatchNothingAreErrors() throws IOException {
    write("secret.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    write("a/kustomization.yaml", "resources: [../secret.yaml]\n");
    assertThatThrownBy(() -> Kustomize.build(dir.resolve("a"))).hasMessageContaining("outside");
    write("b/kustomization.yaml", "resources: []\nreplicas: [{name: x, count: 2}]\n");
    assertThatThrownBy(() -> Kustomize.build(dir.resolve("b"))).hasMessageContaining("'replicas' is not supported");
    write("c/kustomization.yaml", "resources: [d.yaml]\npatches:\n  - path: p.yaml\n");
    write("c/d.yaml", DEPLOYMENT);
    write("c/p.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typo}\nspec: {replicas: 2}\n");
    assertThatThrownBy(() -> Kustomize.build(dir.resolve("c"))).hasMessageContaining("matches no object");
  }

  @Test
  void imagesAreRenamedByNameKeepingTheTagUnlessANewOneIsGiven() throws IOException {
    JsonNode rules = Yaml.readAll("""
        - {name: example/web, newName: reg.io/web, newTag: "2.0"}
        - {name: example/side, newName: reg.io:5000/side}
        """, "rules").get(0);
    assertThat(Transformers.rename("example/web:1.0", rules)).isEqualTo("reg.io/web:2.0");
    assertThat(Transformers.rename("example/side:3", rules)).isEqualTo("reg.io:5000/side:3");
    assertThat(Transformers.rename("other/img:1", rules)).isEqualTo("other/img:1");
  }
}

package dev.retort.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.deploy.kustomize.Kustomize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboards' form: a stable uid (the file name), a datasource variable used by every panel,
 * job or service template variables, a top row of key numbers, and one ConfigMap each for the
 * Grafana sidecar. (That every metric name in them is exported is checked against running
 * services: services/it, DashboardMetricsIT.)
 */
class DashboardsAreWellFormedTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIR = Repo.root().resolve("grafana/dashboards");

  static Stream<Path> dashboards() throws IOException {
    return Files.list(DIR).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void uidVariablesAndTopRowAreThere(Path file) throws IOException {
    JsonNode d = JSON.readTree(file.toFile());
    String name = file.getFileName().toString().replace(".json", "");
    assertThat(d.path("uid").asText()).isEqualTo(name).hasSizeLessThanOrEqualTo(40);
    assertThat(d.path("title").asText()).startsWith("retort / ");
    assertThat(d.path("tags").toString()).contains("retort");
    List<String> vars = new ArrayList<>();
    d.at("/templating/list").forEach(v -> vars.add(v.path("name").asText()));
    assertThat(vars.get(0)).isEqualTo("datasource");
    assertThat(d.at("/templating/list/0/type").asText()).isEqualTo("datasource");
    assertThat(d.at("/templating/list/0/query").asText()).isEqualTo("prometheus");
    assertThat(vars).containsAnyOf("job", "service");
    List<JsonNode> top = new ArrayList<>();
    for (JsonNode p : d.path("panels")) {
      if (p.at("/gridPos/y").asInt() == 0) {
        top.add(p);
      }
    }
    assertThat(top).as("top row").hasSizeGreaterThanOrEqualTo(4).allMatch(p -> p.path("type").asText().equals("stat"));
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : d.path("panels")) {
      assertThat(ids.add(p.path("id").asInt())).as("panel ids are unique").isTrue();
      if (!p.path("type").asText().equals("row")) {
        assertThat(p.at("/datasource/uid").asText()).as(p.path("title").asText()).isEqualTo("${datasource}");
        assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
        for (JsonNode t : p.path("targets")) {
          assertThat(t.at("/datasource/uid").asText()).isEqualTo("${datasource}");
          assertThat(t.path("expr").asText()).isNotBlank();
        }
      }
    }
  }

  @Test
  void noDashboardFiltersOnAnExampleIdOrAnotherHighCardinalityLabel() throws IOException {
    try (Stream<Path> files = dashboards()) {
      for (Path f : files.toList()) {
        String text = Files.readString(f);
        assertThat(text).doesNotContain("example_id").doesNotContain("exampleId").doesNotContain("batch_key");
      }
    }
  }

  @Test
  void everyDashboardHasItsConfigMapForTheSidecarWithTheFileUnchanged() throws IOException {
    List<ObjectNode> maps = Kustomize.build(Repo.root().resolve("grafana"));
    try (Stream<Path> files = dashboards()) {
      for (Path f : files.toList()) {
        String key = f.getFileName().toString();
        ObjectNode cm = maps.stream().filter(m -> m.path("data").has(key)).findFirst()
            .orElseThrow(() -> new AssertionError(key + " is in no ConfigMap"));
        assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(cm.at("/data/" + key.replace("~", "~0").replace("/", "~1")).asText()).isEqualTo(Files.readString(f));
      }
    }
    assertThat(Repo.kind("prod", "ConfigMap")).extracting(m -> m.at("/metadata/name").asText())
        .contains("retort-dashboard-overview", "retort-dashboard-training");
  }
}

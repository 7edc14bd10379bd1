package dev.retort.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retort.deploy.kustomize.Yaml;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.stack.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Docker Compose file parses and names what the code uses: the topics with their partitions
 * and settings, each service's port and settings file, Prometheus scraping the services' metrics
 * paths, and Grafana provisioned with the dashboards of grafana/.
 */
class ComposeMatchesTheCodeTest {
  private static final Path DIR = Repo.root().resolve("deploy/compose");
  private static final JsonNode COMPOSE = Yaml.readAll(DIR.resolve("docker-compose.yml")).get(0);
  private static final Pattern CREATE = Pattern.compile(
      "--create --if-not-exists --topic (\\S+) --partitions (\\d+)((?: --config \\S+=\\S+)*)");

  @Test
  void theTopicsServiceCreatesExactlyTheTopicsOfTopicsSpecs() {
    String command = COMPOSE.at("/services/topics/command/0").asText();
    Map<String, TopicSpec> expected = new HashMap<>();
    Topics.specs(TopicSettings.defaults()).forEach(s -> expected.put(s.name(), s));
    List<String> created = new ArrayList<>();
    Matcher m = CREATE.matcher(command);
    while (m.find()) {
      TopicSpec spec = expected.get(m.group(1));
      assertThat(spec).as("unknown topic " + m.group(1)).isNotNull();
      assertThat(Integer.parseInt(m.group(2))).as(m.group(1)).isEqualTo(spec.partitions());
      Map<String, String> config = new HashMap<>();
      for (String c : m.group(3).trim().split("\\s*--config\\s+")) {
        if (!c.isBlank()) {
          String[] kv = c.split("=", 2);
          config.put(kv[0], kv[1]);
        }
      }
      assertThat(config).as(m.group(1)).isEqualTo(spec.configs());
      created.add(m.group(1));
    }
    assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.all());
  }

  @Test
  void eachServicePublishesItsPortMountsItsSettingsAndTalksToTheComposeBroker() {
    for (String s : Repo.SERVICES) {
      JsonNode svc = COMPOSE.at("/services/" + s);
      int port = ServiceFacts.httpPort(s);
      assertThat(svc.at("/ports/0").asText()).as(s).isEqualTo(port + ":" + port);
      assertThat(svc.at("/build/dockerfile").asText()).isEqualTo("src/main/docker/Dockerfile.jvm");
      assertThat(DIR.resolve(svc.at("/build/context").asText()).resolve("src/main/docker/Dockerfile.jvm")).isRegularFile();
      assertThat(svc.at("/environment/KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
      String mount = svc.at("/volumes/0").asText();
      String[] parts = mount.split(":");
      assertThat(DIR.resolve(parts[0]).normalize()).isEqualTo(Repo.root().resolve("deploy/base").resolve(s).resolve("application.properties"));
      assertThat(parts[1]).isEqualTo(svc.path("working_dir").asText() + "/config/application.properties");
      assertThat(svc.at("/volumes/1").asText()).isEqualTo("artifacts:/var/lib/retort/artifacts");
    }
    assertThat(COMPOSE.at("/services/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText()).contains("PLAINTEXT://kafka:9092");
  }

  @Test
  void prometheusScrapesEveryServiceAndGrafanaLoadsTheDashboards() throws Exception {
    JsonNode prom = Yaml.readAll(DIR.resolve("prometheus.yml")).get(0).at("/scrape_configs/0");
    assertThat(prom.path("honor_labels").asBoolean()).isTrue();
    List<String> targets = new ArrayList<>();
    for (JsonNode sc : prom.path("static_configs")) {
      targets.add(sc.at("/targets/0").asText() + " " + sc.at("/labels/service").asText());
    }
    for (String s : Repo.SERVICES) {
      assertThat(prom.path("metrics_path").asText()).isEqualTo(ServiceFacts.metricsPath(s));
      assertThat(targets).contains(s + ":" + ServiceFacts.httpPort(s) + " retort-" + s);
    }
    Map<String, String> mounts = new HashMap<>();
    for (JsonNode v : COMPOSE.at("/services/grafana/volumes")) {
      String[] parts = v.asText().split(":");
      assertThat(DIR.resolve(parts[0]).normalize()).exists();
      mounts.put(DIR.resolve(parts[0]).normalize().toString(), parts[1]);
    }
    Path grafana = Repo.root().resolve("grafana");
    String dashboards = mounts.get(grafana.resolve("dashboards").toString());
    JsonNode provider = Yaml.readAll(grafana.resolve("provisioning/dashboards/retort.yaml")).get(0).at("/providers/0");
    assertThat(provider.at("/options/path").asText()).isEqualTo(dashboards);
    assertThat(mounts).containsEntry(grafana.resolve("provisioning/dashboards").toString(), "/etc/grafana/provisioning/dashboards");
    assertThat(mounts).containsEntry(grafana.resolve("provisioning/datasources").toString(), "/etc/grafana/provisioning/datasources");
    JsonNode ds = Yaml.readAll(grafana.resolve("provisioning/datasources/prometheus.yaml")).get(0).at("/datasources/0");
    assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:" + COMPOSE.at("/services/prometheus/ports/0").asText().split(":")[1]);
    assertThat(Files.list(grafana.resolve("dashboards")).count()).isEqualTo(5);
  }
}

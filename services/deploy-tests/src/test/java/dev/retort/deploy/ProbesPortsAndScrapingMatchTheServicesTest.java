package dev.retort.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Probes, ports and scraping agree with the services: each container exposes the service's HTTP
 * port as "http", probes ask SmallRye Health's liveness and readiness paths there, the Service
 * forwards to it, and the PodMonitor scrapes every service's metrics path on that port.
 */
class ProbesPortsAndScrapingMatchTheServicesTest {

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void probesAndPortsAreTheServicesOwn(String overlay) {
    for (String s : Repo.SERVICES) {
      ObjectNode d = Repo.object(overlay, "Deployment", "retort-" + s);
      JsonNode c = d.at("/spec/template/spec/containers/0");
      assertThat(c.at("/ports/0/name").asText()).isEqualTo("http");
      assertThat(c.at("/ports/0/containerPort").asInt()).as(s).isEqualTo(ServiceFacts.httpPort(s));
      assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
      assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
      assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
      for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
        assertThat(c.at("/" + probe + "/httpGet/port").asText()).as(s + " " + probe).isEqualTo("http");
      }
      assertThat(c.at("/resources/requests/cpu").isMissingNode()).as(s + " cpu request").isFalse();
      assertThat(c.at("/resources/requests/memory").isMissingNode()).as(s + " memory request").isFalse();
      assertThat(c.at("/image").asText()).contains("retort/" + s);
      ObjectNode svc = Repo.object(overlay, "Service", "retort-" + s);
      assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(ServiceFacts.httpPort(s));
      assertThat(svc.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
      assertThat(svc.at("/spec/selector")).isEqualTo(d.at("/spec/selector/matchLabels"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void teacherAndTrainerRunAsManyLibtorchThreadsAsTheirPodRequestsCpus(String overlay) {
    for (String s : new String[] {"teacher", "trainer"}) {
      JsonNode c = Repo.object(overlay, "Deployment", "retort-" + s).at("/spec/template/spec/containers/0");
      JsonNode omp = null;
      for (JsonNode e : c.path("env")) {
        if (e.path("name").asText().equals("OMP_NUM_THREADS")) {
          omp = e;
        }
      }
      assertThat(omp).as(s + " sets OMP_NUM_THREADS (else libtorch takes every core of the node)").isNotNull();
      JsonNode ref = omp.at("/valueFrom/resourceFieldRef");
      assertThat(ref.path("containerName").asText()).isEqualTo(c.path("name").asText());
      assertThat(ref.path("resource").asText()).isEqualTo("requests.cpu");
      assertThat(ref.path("divisor").asText()).isEqualTo("1");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod"})
  void thePodMonitorScrapesEveryServicesMetricsPathAndKeepsTheJobTag(String overlay) {
    ObjectNode pm = Repo.kind(overlay, "PodMonitor").get(0);
    JsonNode endpoint = pm.at("/spec/podMetricsEndpoints/0");
    assertThat(pm.at("/spec/podMetricsEndpoints")).hasSize(1);
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    assertThat(endpoint.path("honorLabels").asBoolean()).as("retort's job tag is the training job id").isTrue();
    assertThat(endpoint.at("/relabelings/0/targetLabel").asText()).isEqualTo("service");
    for (String s : Repo.SERVICES) {
      assertThat(endpoint.path("path").asText()).as(s).isEqualTo(ServiceFacts.metricsPath(s));
      JsonNode labels = Repo.object(overlay, "Deployment", "retort-" + s).at("/spec/template/metadata/labels");
      pm.at("/spec/selector/matchLabels").fields().forEachRemaining(e ->
          assertThat(labels.path(e.getKey()).asText()).as(s + " pods selected").isEqualTo(e.getValue().asText()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod"})
  void theGpuComponentGivesTeacherAndTrainerOneGpuOnGpuNodes(String overlay) {
    for (String s : Repo.SERVICES) {
      JsonNode pod = Repo.object(overlay, "Deployment", "retort-" + s).at("/spec/template/spec");
      boolean gpu = s.equals("teacher") || s.equals("trainer");
      assertThat(pod.at("/containers/0/resources/limits/nvidia.com~1gpu").asInt(0)).as(s).isEqualTo(gpu ? 1 : 0);
      assertThat(pod.has("nodeSelector")).as(s).isEqualTo(gpu);
      assertThat(pod.has("tolerations")).as(s).isEqualTo(gpu);
    }
    assertThat(Repo.object("dev", "Deployment", "retort-teacher").at("/spec/template/spec/nodeSelector").isMissingNode()).isTrue();
  }
}

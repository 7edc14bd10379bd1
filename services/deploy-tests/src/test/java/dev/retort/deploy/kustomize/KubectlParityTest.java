package dev.retort.deploy.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where {@code kubectl} (with its built-in Kustomize) is installed, the Java build must produce
 * exactly what {@code kubectl kustomize} produces for retort's overlays. Skipped elsewhere.
 */
class KubectlParityTest {

  private static Path kubectl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "kubectl");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static Map<String, JsonNode> byId(Iterable<? extends JsonNode> objects) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (JsonNode o : objects) {
      out.put(ResourceId.of(o).toString(), o);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/overlays/dev", "deploy/overlays/prod", "grafana"})
  void javaBuildEqualsKubectlKustomize(String path) throws Exception {
    Path kubectl = kubectl();
    assumeTrue(kubectl != null, "kubectl is not installed");
    Path dir = Path.of(System.getProperty("retort.home", "../..")).resolve(path).toAbsolutePath().normalize();
    Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString()).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assumeTrue(p.exitValue() == 0 || !err.contains("unknown command"), "kubectl has no kustomize");
    assertThat(p.exitValue()).as(err).isZero();
    Map<String, JsonNode> expected = byId(Yaml.readAll(out, "kubectl kustomize " + path));
    Map<String, JsonNode> actual = byId(Kustomize.build(dir));
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (String id : expected.keySet()) {
      assertThat((ObjectNode) actual.get(id)).as(id).isEqualTo(expected.get(id));
    }
  }
}

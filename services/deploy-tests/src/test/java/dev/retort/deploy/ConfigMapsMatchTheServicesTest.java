package dev.retort.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The settings each ConfigMap mounts into a service: every retort.* key is validated by SmallRye
 * Config against the service's own {@code @ConfigMapping} interfaces (unknown keys and bad values
 * fail, as they would fail the service's start), every other key is one the service's packaged
 * application.properties already sets, and the file is mounted where Quarkus reads it.
 */
class ConfigMapsMatchTheServicesTest {
  /** The config mapping interfaces of each service. */
  private static final Map<String, List<Class<?>>> MAPPINGS = Map.of(
      "teacher", List.of(dev.retort.teacher.config.TeacherConfig.class, dev.retort.teacher.config.ArtifactsConfig.class),
      "trainer", List.of(dev.retort.trainer.config.TrainerConfig.class, dev.retort.trainer.config.ArtifactsConfig.class),
      "loss", List.of(dev.retort.loss.config.LossConfig.class, dev.retort.loss.config.ArtifactsConfig.class),
      "evaluator", List.of(dev.retort.evaluator.config.EvaluatorConfig.class, dev.retort.evaluator.config.ArtifactsConfig.class));

  static List<String[]> overlaysAndServices() {
    return Repo.OVERLAYS.stream().flatMap(o -> Repo.SERVICES.stream().map(s -> new String[] {o, s})).toList();
  }

  /** Builds the service's mappings over the given properties, as Quarkus does at start-up. */
  static SmallRyeConfig validate(String service, Properties props) {
    Map<String, String> values = new HashMap<>();
    props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
    SmallRyeConfigBuilder b = new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(values, "ConfigMap", 260))
        .withConverter(Duration.class, 200, new DurationConverter())
        .withValidateUnknown(true);
    MAPPINGS.get(service).forEach(b::withMapping);
    return b.build();
  }

  private static Properties configMapProperties(String overlay, String service) {
    ObjectNode cm = Repo.object(overlay, "ConfigMap", "retort-" + service + "-config");
    return ServiceFacts.properties(cm.at("/data/application.properties").asText());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("overlaysAndServices")
  void everyRetortKeyIsValidForTheServicesMappings(String overlay, String service) {
    Properties props = configMapProperties(overlay, service);
    SmallRyeConfig config = validate(service, props);
    assertThat(config.getValue("retort.artifacts.root", String.class)).isEqualTo("/var/lib/retort/artifacts");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("overlaysAndServices")
  void everyOtherKeyIsOneTheServiceAlreadySets(String overlay, String service) {
    for (String key : configMapProperties(overlay, service).stringPropertyNames()) {
      if (!key.startsWith("retort.")) {
        assertThat(ServiceFacts.setsKey(service, key)).as(service + ": " + key + " is not a setting of the service").isTrue();
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("overlaysAndServices")
  void theFileIsMountedWhereQuarkusReadsItAndTheStoreWhereTheConfigSaysItIs(String overlay, String service) {
    JsonNode pod = Repo.object(overlay, "Deployment", "retort-" + service).at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    String workingDir = container.path("workingDir").asText();
    String configVolume = volumeOf(pod, "configMap", "name", "retort-" + service + "-config");
    String storeVolume = volumeOf(pod, "persistentVolumeClaim", "claimName", "retort-artifacts");
    assertThat(mountPath(container, configVolume)).isEqualTo(workingDir + "/config");
    assertThat(mountPath(container, storeVolume))
        .isEqualTo(configMapProperties(overlay, service).getProperty("retort.artifacts.root"));
    Repo.object(overlay, "PersistentVolumeClaim", "retort-artifacts");
  }

  @Test
  void aMisspeltKeyOrABadValueFailsTheCheckAsItWouldFailTheService() {
    Properties typo = new Properties();
    typo.setProperty("retort.teacher.models.max-cahced", "2");
    assertThatThrownBy(() -> validate("teacher", typo)).hasMessageContaining("max-cahced");
    Properties bad = new Properties();
    bad.setProperty("retort.loss.health.wedged-after", "soon");
    assertThatThrownBy(() -> validate("loss", bad)).hasMessageContaining("wedged-after");
  }

  private static String volumeOf(JsonNode pod, String type, String field, String name) {
    for (JsonNode v : pod.path("volumes")) {
      if (v.path(type).path(field).asText().equals(name)) {
        return v.path("name").asText();
      }
    }
    throw new AssertionError("no " + type + " volume for " + name);
  }

  private static String mountPath(JsonNode container, String volume) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError("volume " + volume + " is not mounted");
  }
}

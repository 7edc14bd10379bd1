package dev.retort.messaging.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessChecksTest {
  @TempDir Path dir;

  @Test
  void problemsAreNamedAndKeepTheOrderOfTheChecks() {
    AtomicBoolean loaded = new AtomicBoolean();
    AtomicReference<String> engineError = new AtomicReference<>();
    AtomicBoolean topicsDone = new AtomicBoolean();
    AtomicReference<String> broker = new AtomicReference<>("describeCluster failed");
    ReadinessChecks checks = ReadinessChecks.builder()
        .addBroker(broker::get)
        .addEngine(loaded::get, engineError::get)
        .add("index", () -> "reading the teacher index")
        .addTopics(topicsDone::get)
        .addJobsDirectory(() -> dir)
        .build();

    assertThat(checks.problems()).containsExactly(
        entry("broker", "describeCluster failed"),
        entry("engine", "loading"),
        entry("index", "reading the teacher index"),
        entry("topics", "creating the topics"));

    engineError.set("no libtorch");
    assertThat(checks.problems()).containsEntry("engine", "no libtorch");

    broker.set(null);
    loaded.set(true);
    topicsDone.set(true);
    assertThat(checks.problems()).containsExactly(entry("index", "reading the teacher index"));
    assertThat(dir.resolve("jobs")).isDirectory();
  }

  @Test
  void aJobsDirectoryThatCannotBeCreatedIsReported() throws Exception {
    Path file = Files.writeString(dir.resolve("store"), "not a directory");

    assertThat(ReadinessChecks.jobsDirectoryProblem(file))
        .startsWith("cannot create " + file + "/jobs: java.nio.file.");
    assertThat(ReadinessChecks.jobsDirectoryProblem(dir)).isNull();
  }

  @Test
  void checkNamesMustBeUnique() {
    assertThatThrownBy(() -> ReadinessChecks.builder().add("a", () -> null)
        .add("a", () -> null).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unique");
    assertThatThrownBy(() -> ReadinessChecks.builder().build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static java.util.Map.Entry<String, String> entry(String k, String v) {
    return java.util.Map.entry(k, v);
  }
}

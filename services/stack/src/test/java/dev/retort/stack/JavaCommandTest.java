package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JavaCommandTest {

  @Test
  void mainClassCommandPutsJvmOptionsAndPropertiesBeforeTheClasspath() {
    List<String> command = JavaCommand.forMainClass(List.of("-Xmx64m"),
        Map.of("quarkus.http.port", "8081"), "a.jar:b.jar", "x.Main", List.of("--flag"));

    assertThat(command).containsExactly(JavaCommand.javaExecutable().toString(), "-Xmx64m",
        "-Dquarkus.http.port=8081", "-cp", "a.jar:b.jar", "x.Main", "--flag");
  }

  @Test
  void jarCommandUsesAnAbsoluteJarPath() {
    List<String> command = JavaCommand.forJar(List.of(), Map.of(),
        Path.of("target/quarkus-app/quarkus-run.jar"), List.of());

    assertThat(command).containsExactly(JavaCommand.javaExecutable().toString(), "-jar",
        Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
  }
}

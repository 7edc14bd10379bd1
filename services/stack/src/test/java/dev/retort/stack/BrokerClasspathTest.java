package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClasspathTest {
  @TempDir Path dir;

  @Test
  void packagedClasspathNamesTheBrokerJarsAndAnSlf4jBinding() {
    String classpath = BrokerClasspath.resolve();

    assertThat(BrokerClasspath.parse(classpath))
        .extracting(p -> p.getFileName().toString())
        .anyMatch(n -> n.startsWith("kafka_2.13-"))
        .anyMatch(n -> n.startsWith("kafka-server-"))
        .anyMatch(n -> n.startsWith("slf4j-simple-"))
        .noneMatch(n -> n.startsWith("retort-"))
        .noneMatch(n -> n.startsWith("junit-"));
  }

  @Test
  void missingJarIsReportedWithItsPathAndTheFix() throws Exception {
    Path present = Files.createFile(dir.resolve("present.jar"));
    Path missing = dir.resolve("missing.jar");
    String text = present + File.pathSeparator + missing + "\n";

    assertThatThrownBy(() -> BrokerClasspath.check(text, "test source"))
        .isInstanceOf(RetortException.class)
        .hasMessageStartingWith("test source: 1 of 2 entries")
        .hasMessageContaining(missing.toString())
        .hasMessageContaining(BrokerClasspath.ENV);
  }

  @Test
  void completeClasspathIsReturnedOnOneLine() throws Exception {
    Path a = Files.createFile(dir.resolve("a.jar"));
    Path b = Files.createDirectory(dir.resolve("classes"));

    assertThat(BrokerClasspath.check(" " + a + File.pathSeparator + b + " \n", "test"))
        .isEqualTo(a + File.pathSeparator + b);
  }
}

package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenArtifactsTest {
  @TempDir Path repo;
  @TempDir Path tmp;

  private static final String GAV = "com.example.models:tiny-bert:1.2.3";

  private Path expectedJar() {
    return repo.resolve("com/example/models/tiny-bert/1.2.3/tiny-bert-1.2.3.jar");
  }

  @Test
  void jarInTheLocalRepositoryIsFound() throws IOException {
    Files.createDirectories(expectedJar().getParent());
    Files.write(expectedJar(), new byte[] {1});
    MavenArtifacts m = MavenArtifacts.builder().optRepository(repo).optFetch(false).build();
    assertThat(m.resolve(GAV)).isEqualTo(expectedJar());
  }

  @Test
  void missingJarWithoutMavenSaysWhatToRun() {
    MavenArtifacts m = MavenArtifacts.builder().optRepository(repo).optFetch(false).build();
    assertThatThrownBy(() -> m.resolve(GAV))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("maven:" + GAV)
        .hasMessageContaining("fetching missing jars is disabled")
        .hasMessageContaining("Run `mvn -q dependency:get -Dartifact=" + GAV)
        .hasMessageContaining("access to Maven Central");
  }

  private Path script(String body) throws IOException {
    Path s = tmp.resolve("mvn");
    Files.writeString(s, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
    return s;
  }

  @Test
  void failingMavenIsReportedWithItsOutput() throws IOException {
    Path mvn = script("echo 'Could not transfer artifact: network unreachable'; exit 1");
    MavenArtifacts m = MavenArtifacts.builder().optRepository(repo).optMvn(mvn).build();
    assertThatThrownBy(() -> m.resolve(GAV))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("exit 1")
        .hasMessageContaining("network unreachable")
        .hasMessageContaining("mvn -q dependency:get -Dartifact=" + GAV);
  }

  @Test
  void mavenIsAskedForTheArtifactInTheSameRepository() throws IOException {
    // A stand-in for mvn that records its arguments and "downloads" the jar.
    Path args = tmp.resolve("args");
    Path mvn =
        script(
            "echo \"$@\" > "
                + args
                + "\nmkdir -p "
                + expectedJar().getParent()
                + "\ntouch "
                + expectedJar());
    MavenArtifacts m = MavenArtifacts.builder().optRepository(repo).optMvn(mvn).build();

    assertThat(m.resolve(GAV)).isEqualTo(expectedJar());
    assertThat(Files.readString(args))
        .contains("dependency:get", "-Dartifact=" + GAV, "-Dmaven.repo.local=" + repo);
  }

  @Test
  void settingsLocalRepositoryIsRead() throws IOException {
    Path settings = tmp.resolve("settings.xml");
    Files.writeString(
        settings,
        "<settings xmlns=\"http://maven.apache.org/SETTINGS/1.0.0\">\n"
            + "  <localRepository>${user.home}/m2cache</localRepository>\n</settings>\n");
    assertThat(MavenArtifacts.localRepositoryOf(settings)).isEqualTo("${user.home}/m2cache");
    Files.writeString(settings, "<settings/>");
    assertThat(MavenArtifacts.localRepositoryOf(settings)).isNull();
  }

  @Test
  void mavenRepoLocalPropertyWins() {
    String old = System.getProperty("maven.repo.local");
    try {
      System.setProperty("maven.repo.local", repo.toString());
      assertThat(MavenArtifacts.defaults().repository()).isEqualTo(repo);
    } finally {
      if (old == null) {
        System.clearProperty("maven.repo.local");
      } else {
        System.setProperty("maven.repo.local", old);
      }
    }
  }

  @Test
  void badCoordinatesAreRejected() {
    assertThatThrownBy(() -> MavenArtifacts.Coordinates.parse("just-a-name"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("GROUP:ARTIFACT:VERSION");
  }
}

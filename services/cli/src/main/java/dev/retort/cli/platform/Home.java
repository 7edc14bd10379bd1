package dev.retort.cli.platform;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository the command line runs from: {@code -Dretort.home} (set by the {@code retort}
 * script), else found from the CLI jar's location ({@code services/cli/target/retort-cli.jar}),
 * else the working directory.
 */
public final class Home {
  private Home() {}

  /** Returns the repository root. */
  public static Path root() {
    String prop = System.getProperty("retort.home");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    try {
      Path jar = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = jar; p != null; p = p.getParent()) {
        if (Files.isDirectory(p.resolve("services").resolve("trainer")) && Files.isRegularFile(p.resolve("pom.xml"))) {
          return p;
        }
      }
    } catch (Exception ignored) {
      // fall through
    }
    return Path.of("").toAbsolutePath();
  }

  /** Returns the default state directory of the local platform. */
  public static Path stateDir() {
    return root().resolve(".retort").resolve("stack");
  }
}

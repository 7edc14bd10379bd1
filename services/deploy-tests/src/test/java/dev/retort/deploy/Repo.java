package dev.retort.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.deploy.kustomize.Kustomize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The repository under test and its built overlays (built once per test run). */
final class Repo {
  /** The overlays under deploy/overlays. */
  static final List<String> OVERLAYS = List.of("dev", "prod");
  /** The services, as named in services/ and in the manifests (retort-NAME). */
  static final List<String> SERVICES = List.of("teacher", "trainer", "loss", "evaluator");

  private static final Map<String, List<ObjectNode>> BUILT = new ConcurrentHashMap<>();

  private Repo() {}

  /** Returns the repository root (the build sets retort.home; else the working directory's parents). */
  static Path root() {
    String home = System.getProperty("retort.home");
    Path p = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("deploy"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no deploy/ directory above " + home);
    }
    return p;
  }

  /** Returns the objects of an overlay. */
  static List<ObjectNode> overlay(String name) {
    return BUILT.computeIfAbsent(name, n -> Kustomize.build(root().resolve("deploy/overlays").resolve(n)));
  }

  /** Returns the objects of a kind in an overlay. */
  static List<ObjectNode> kind(String overlay, String kind) {
    return overlay(overlay).stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  /** Returns one object of an overlay by kind and name. */
  static ObjectNode object(String overlay, String kind, String name) {
    return kind(overlay, kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
  }
}

package dev.retort.core.job;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves the paths a job names (data, model directories, output) against configured roots, and
 * rejects any that escape them: {@code ..} segments, absolute paths elsewhere, and symbolic links
 * that point outside. With no roots configured (the command line on one's own machine) paths are
 * resolved against the working directory and not restricted.
 */
public final class PathPolicy {
  private final List<Path> dataRoots;
  private final List<Path> outputRoots;
  private final Path base;

  /**
   * Creates a policy.
   *
   * @param base the directory relative paths are resolved against
   * @param dataRoots where data and models may be read from; empty for no restriction
   * @param outputRoots where outputs may be written; empty for no restriction
   */
  public PathPolicy(Path base, List<Path> dataRoots, List<Path> outputRoots) {
    this.base = base.toAbsolutePath().normalize();
    // A root given twice (the local platform passes the project and the working directory, often
    // the same) is kept once, so that an error lists each root once.
    this.dataRoots = dataRoots.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    this.outputRoots = outputRoots.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
  }

  /** No restriction, relative to the working directory. */
  public static PathPolicy unrestricted() {
    return new PathPolicy(Path.of(""), List.of(), List.of());
  }

  /**
   * Resolves a path a job reads from.
   *
   * @param path as written in the job
   * @param key the job key, for the error message
   * @return the absolute, normalised path
   * @throws RetortException if it escapes the data roots
   */
  public Path data(String path, String key) {
    return check(path, key, dataRoots, "data");
  }

  /**
   * Resolves a path a job writes to.
   *
   * @param path as written in the job
   * @param key the job key, for the error message
   * @return the absolute, normalised path
   * @throws RetortException if it escapes the output roots
   */
  public Path output(String path, String key) {
    return check(path, key, outputRoots, "output");
  }

  private Path check(String path, String key, List<Path> roots, String kind) {
    if (path.indexOf('\0') >= 0) {
      throw new RetortException("job key '" + key + "'", "the path contains a NUL character", "Use a plain path");
    }
    Path raw = Path.of(path);
    if (roots.isEmpty()) {
      return base.resolve(raw).normalize();
    }
    for (Path part : raw) {
      if (part.toString().equals("..")) {
        throw new RetortException("job key '" + key + "'", "the path '" + path + "' contains '..'", "Name a path inside the " + kind + " roots " + roots);
      }
    }
    Path resolved = raw.isAbsolute() ? raw.normalize() : roots.get(0).resolve(raw).normalize();
    Path real = realPath(resolved);
    for (Path root : roots) {
      Path realRoot = realPath(root);
      if (resolved.startsWith(root) && real.startsWith(realRoot)) {
        return resolved;
      }
    }
    throw new RetortException(
        "job key '" + key + "'",
        "the path '" + path + "' is outside the allowed " + kind + " roots " + roots
            + (real.equals(resolved) ? "" : " (it resolves through a symbolic link to " + real + ")"),
        "Put the files under one of the roots, or ask the operator to add a root");
  }

  /** The real path of the longest existing prefix, with the rest appended. */
  private static Path realPath(Path p) {
    Path existing = p;
    Path rest = Path.of("");
    while (existing != null && !Files.exists(existing)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) {
      return p;
    }
    try {
      return existing.toRealPath().resolve(rest).normalize();
    } catch (IOException e) {
      return p;
    }
  }
}

package dev.retort.trainer.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;

/**
 * A job's lifecycle status in {@code <root>/jobs/<id>/state.json}, shared by the services through
 * the artifact store: a second request with the same id sees it and is not run again.
 */
public final class JobState {
  /** Statuses after which a job never runs again. */
  public static final Set<String> TERMINAL = Set.of("finished", "failed", "cancelled", "rejected");

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobState() {}

  /** Returns the status of a job, if it has one. */
  public static Optional<String> status(Path jobDir) {
    Path f = jobDir.resolve("state.json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(f.toFile()).path("status").asText());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Writes a status atomically.
   *
   * @param jobDir the job's directory
   * @param status the status
   * @param owner the replica writing it
   * @param detail a reason or note
   */
  public static void write(Path jobDir, String status, String owner, String detail) {
    try {
      Files.createDirectories(jobDir);
      ObjectNode o = JSON.createObjectNode();
      o.put("status", status);
      o.put("owner", owner);
      o.put("detail", detail);
      o.put("time", System.currentTimeMillis());
      Path tmp = Files.createTempFile(jobDir, "state", ".tmp");
      JSON.writeValue(tmp.toFile(), o);
      Files.move(tmp, jobDir.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.retort.stack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The state file {@code <stateDir>/stack.json}: which processes a stack started, in start order.
 *
 * <p>Written after every start and restart, atomically (a temporary file moved over the old one),
 * so a reader in another JVM never sees half a file.
 *
 * @param entries the processes, in start order
 */
public record StackState(List<StackEntry> entries) {
  // Indented for people reading it; unknown fields ignored so an older retort can still stop a
  // stack that a newer one started.
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Copies the list. */
  public StackState {
    entries = List.copyOf(entries);
  }

  /** Returns the state with no processes. */
  public static StackState empty() {
    return new StackState(List.of());
  }

  /**
   * Reads a state file.
   *
   * @param file the file
   * @return its state, or empty if the file does not exist
   * @throws RetortException if the file is not a valid state file
   */
  public static StackState read(Path file) {
    if (!Files.isRegularFile(file)) {
      return empty();
    }
    try {
      return JSON.readValue(file.toFile(), StackState.class);
    } catch (IOException e) {
      throw new RetortException(file.toString(), "not a valid stack state file: " + e.getMessage(),
          "Stop the processes it lists by hand if they still run, then delete the file");
    }
  }

  /**
   * Writes this state atomically; an empty state deletes the file.
   *
   * @param file the file
   */
  public void write(Path file) {
    try {
      if (entries.isEmpty()) {
        Files.deleteIfExists(file);
        return;
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), this);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Returns the entry with this name.
   *
   * @param name the process name
   * @return the entry, if recorded
   */
  public Optional<StackEntry> find(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * Returns this state with {@code entry} recorded: an entry of the same name is replaced in place,
   * a new one is appended.
   *
   * @param entry the entry to record
   * @return the new state
   */
  public StackState with(StackEntry entry) {
    List<StackEntry> result = new ArrayList<>();
    boolean replaced = false;
    for (StackEntry e : entries) {
      if (e.name().equals(entry.name())) {
        result.add(entry);
        replaced = true;
      } else {
        result.add(e);
      }
    }
    if (!replaced) {
      result.add(entry);
    }
    return new StackState(result);
  }

  /**
   * Returns this state without stale entries: those whose process is gone (or whose PID now
   * belongs to another process), except the names in {@code keep}.
   *
   * @param keep names to keep even if their process is gone (e.g. killed for a crash test, about
   *     to be restarted)
   * @return the new state
   */
  public StackState withoutStale(Set<String> keep) {
    return new StackState(entries.stream()
        .filter(e -> keep.contains(e.name()) || e.liveProcess().isPresent())
        .toList());
  }

  /**
   * Returns this state without the entry of this name.
   *
   * @param name the process name
   * @return the new state
   */
  public StackState without(String name) {
    return new StackState(entries.stream().filter(e -> !e.name().equals(name)).toList());
  }
}

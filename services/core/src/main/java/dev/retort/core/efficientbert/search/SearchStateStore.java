package dev.retort.core.efficientbert.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and writes a search's {@link SearchState} file; writes are atomic. */
public final class SearchStateStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  /**
   * Creates a store.
   *
   * @param file the JSON file, e.g. {@code runs/<job>/search-state.json}
   */
  public SearchStateStore(Path file) {
    this.file = file;
  }

  /** Returns the file. */
  public Path file() {
    return file;
  }

  /**
   * Reads the state if the file exists.
   *
   * @return the state, or empty for a new search
   * @throws RetortException if the file is unreadable, not a state file or of another version
   */
  public Optional<SearchState> read() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    SearchState s;
    try {
      s = JSON.readValue(file.toFile(), SearchState.class);
    } catch (IOException e) {
      throw new RetortException(
          file.toString(),
          "not a readable search state: " + e.getMessage(),
          "Delete the file to start the search over, or restore it from a backup");
    }
    if (s.version() != SearchState.VERSION) {
      throw new RetortException(
          file.toString(),
          "search state version " + s.version() + ", this retort reads " + SearchState.VERSION,
          "Finish the search with the retort version that started it, or start over");
    }
    return Optional.of(s);
  }

  /**
   * Writes the state: to a temporary file first, then moved over the old one.
   *
   * @param state the state
   * @throws IOException if the write fails (the previous file is kept)
   */
  public void write(SearchState state) throws IOException {
    AtomicFiles.writeString(file, toJson(state));
  }

  /**
   * Returns the state as pretty-printed JSON.
   *
   * @param state the state
   * @return the JSON text
   */
  public static String toJson(SearchState state) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the search state", e);
    }
  }
}

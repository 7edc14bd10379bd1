package dev.retort.core.text;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WordPiece vocabulary: an ordered list of tokens whose position is the token id.
 *
 * <p>Built from the lines of a {@code vocab.txt}. If a token occurs twice, the later line wins the
 * lookup (as Python's {@code load_vocab} does) and a warning is logged. Instances are immutable.
 */
public final class Vocabulary {
  private static final Logger LOG = LoggerFactory.getLogger(Vocabulary.class);

  private final List<String> tokens;
  private final Map<String, Integer> ids;
  private final String source;

  private Vocabulary(List<String> tokens, String source) {
    this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
    this.source = source;
    this.ids = new HashMap<>(tokens.size() * 2);
    int duplicates = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t == null) {
        throw new RetortException(
            source + ":" + (i + 1), "the vocabulary line is null", "Pass the lines of vocab.txt");
      }
      if (ids.put(t, i) != null) {
        duplicates++;
      }
    }
    if (duplicates > 0) {
      LOG.warn("{}: {} duplicate tokens; the last occurrence of each is used", source, duplicates);
    }
  }

  /**
   * Creates a vocabulary from the lines of a vocab.txt, in order.
   *
   * @param lines the tokens; line i (0-based) is token id i
   * @param source a name for error messages, such as the file path
   * @return the vocabulary
   */
  public static Vocabulary of(List<String> lines, String source) {
    if (lines.isEmpty()) {
      throw new RetortException(source, "the vocabulary is empty", "Pass a non-empty vocab.txt");
    }
    return new Vocabulary(lines, source);
  }

  /**
   * Reads a vocab.txt (UTF-8, one token per line; a trailing carriage return is removed).
   *
   * @param file the file
   * @return the vocabulary
   */
  public static Vocabulary read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RetortException(
          file.toString(), "cannot read the vocabulary: " + e.getMessage(), "Check the path", e);
    }
    List<String> tokens = new ArrayList<>(lines.size());
    for (String line : lines) {
      tokens.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isEmpty()) {
      tokens.remove(tokens.size() - 1);
    }
    return of(tokens, file.toString());
  }

  /** Returns the number of tokens (V). */
  public int size() {
    return tokens.size();
  }

  /**
   * Returns the id of a token, or -1 if the vocabulary lacks it.
   *
   * @param token the token
   * @return its id, or -1
   */
  public int id(String token) {
    Integer id = ids.get(token);
    return id == null ? -1 : id;
  }

  /**
   * Returns whether the vocabulary holds a token.
   *
   * @param token the token
   * @return true if present
   */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /**
   * Returns the token with an id.
   *
   * @param id the id, 0 to size-1
   * @return the token
   */
  public String token(int id) {
    return tokens.get(id);
  }

  /** Returns the tokens in id order, unmodifiable. */
  public List<String> tokens() {
    return tokens;
  }

  /** Returns the name used in error messages. */
  public String source() {
    return source;
  }
}

package dev.retort.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Test helper: the MiniLM tokenizer.json shipped inside the langchain4j jar (a test dependency),
 * and the BERT-base uncased vocabulary it holds in {@code model.vocab}.
 */
public final class MiniLmTokenizerJson {
  /** The classpath resource name inside the langchain4j jar. */
  public static final String RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  private static Vocabulary vocabulary;

  private MiniLmTokenizerJson() {}

  /** Opens the tokenizer.json resource. */
  public static InputStream open() {
    InputStream in = MiniLmTokenizerJson.class.getClassLoader().getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException(RESOURCE + " is not on the test classpath");
    }
    return in;
  }

  /**
   * Copies the tokenizer.json to a file.
   *
   * @param dir the directory
   * @return the file
   */
  public static Path copyTo(Path dir) {
    Path file = dir.resolve("tokenizer.json");
    try (InputStream in = open()) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Returns the vocabulary (30,522 tokens), ordered by id. */
  public static synchronized Vocabulary vocabulary() {
    if (vocabulary == null) {
      try (InputStream in = open()) {
        JsonNode vocab = new ObjectMapper().readTree(in).path("model").path("vocab");
        String[] tokens = new String[vocab.size()];
        Iterator<Map.Entry<String, JsonNode>> it = vocab.properties().iterator();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          int id = e.getValue().asInt();
          if (tokens[id] != null) {
            throw new IllegalStateException("duplicate id " + id);
          }
          tokens[id] = e.getKey();
        }
        List<String> list = new ArrayList<>(Arrays.asList(tokens));
        if (list.contains(null)) {
          throw new IllegalStateException("vocabulary ids are not contiguous");
        }
        vocabulary = Vocabulary.of(list, RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return vocabulary;
  }
}

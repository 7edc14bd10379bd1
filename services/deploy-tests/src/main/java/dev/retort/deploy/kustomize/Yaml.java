package dev.retort.deploy.kustomize;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes YAML documents as Jackson trees. */
public final class Yaml {
  /** The shared YAML mapper (documents start without {@code ---}, strings unquoted when safe). */
  public static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build());

  private Yaml() {}

  /**
   * Reads every non-empty document of a file.
   *
   * @param file a YAML file, possibly with several {@code ---}-separated documents
   * @return the documents, in order
   */
  public static List<JsonNode> readAll(Path file) {
    try {
      return readAll(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads every non-empty document of a string.
   *
   * @param text YAML
   * @param source the file name for errors
   * @return the documents, in order
   */
  public static List<JsonNode> readAll(String text, String source) {
    List<JsonNode> docs = new ArrayList<>();
    // One tree per document; a reader's readValues would unwrap a document that is a list.
    try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
      while (parser.nextToken() != null) {
        JsonNode doc = MAPPER.readTree(parser);
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new KustomizeException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    return docs;
  }

  /**
   * Reads a file holding exactly one object.
   *
   * @param file the file
   * @return the object
   */
  public static ObjectNode readObject(Path file) {
    List<JsonNode> docs = readAll(file);
    if (docs.size() != 1 || !docs.get(0).isObject()) {
      throw new KustomizeException(file + ": expected one YAML object, found " + docs.size() + " documents");
    }
    return (ObjectNode) docs.get(0);
  }

  /**
   * Writes objects as one multi-document YAML stream, like {@code kustomize build}.
   *
   * @param objects the objects
   * @return YAML
   */
  public static String write(List<? extends JsonNode> objects) {
    StringBuilder sb = new StringBuilder();
    try {
      for (JsonNode o : objects) {
        if (sb.length() > 0) {
          sb.append("---\n");
        }
        sb.append(MAPPER.writeValueAsString(o));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sb.toString();
  }
}

package dev.retort.core.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a WordPiece tokenizer needs from a pretrained model: the vocabulary in id order, whether
 * text is lowercased, and optionally a Hugging Face {@code tokenizer.json} on disk.
 *
 * @param vocab the tokens, index = id (as in {@code vocab.txt})
 * @param lowercase whether the tokenizer lowercases (and strips accents from) its input
 * @param tokenizerJson a {@code tokenizer.json} file describing the same tokenizer, or {@code null}
 */
public record TokenizerFiles(List<String> vocab, boolean lowercase, Path tokenizerJson) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the vocabulary and checks that it is not empty. */
  public TokenizerFiles {
    vocab = List.copyOf(vocab);
    if (vocab.isEmpty()) {
      throw new IllegalArgumentException("empty vocabulary");
    }
  }

  /** Returns the {@code tokenizer.json} path if there is one. */
  public Optional<Path> tokenizerJsonPath() {
    return Optional.ofNullable(tokenizerJson);
  }

  /** Returns the vocabulary size, V. */
  public int size() {
    return vocab.size();
  }

  /** Returns a copy pointing at another {@code tokenizer.json} (or none). */
  public TokenizerFiles withTokenizerJson(Path path) {
    return new TokenizerFiles(vocab, lowercase, path);
  }

  /**
   * Reads a {@code vocab.txt}: one token per line, the line number is the id.
   *
   * @param file the vocabulary file
   * @param lowercase whether the model expects lowercased input
   * @return the tokenizer files, without a {@code tokenizer.json}
   */
  public static TokenizerFiles fromVocabTxt(Path file, boolean lowercase) {
    try (InputStream in = Files.newInputStream(file)) {
      return new TokenizerFiles(readVocabTxt(in, file.toString()), lowercase, null);
    } catch (IOException e) {
      throw new RetortException(file.toString(), "cannot read: " + e, "Check the path", e);
    }
  }

  /**
   * Parses {@code vocab.txt} content; line ends are {@code \n} or {@code \r\n}.
   *
   * @param in the file content (not closed)
   * @param source a name for errors
   * @return the tokens in id order
   * @throws IOException if the stream fails
   */
  public static List<String> readVocabTxt(InputStream in, String source) throws IOException {
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      String token =
          text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
      if (!seen.add(token)) {
        throw new RetortException(
            source + " line " + (out.size() + 1),
            "token '" + token + "' appears twice",
            "A vocab.txt must list each token once");
      }
      out.add(token);
      start = end + 1;
    }
    return out;
  }

  /**
   * Writes the vocabulary as {@code vocab.txt}.
   *
   * @param file the file to write
   * @throws IOException if writing fails
   */
  public void writeVocabTxt(Path file) throws IOException {
    Files.writeString(file, vocabTxt(), StandardCharsets.UTF_8);
  }

  /** Returns the text of {@code vocab.txt}: one token per line, by id. */
  public String vocabTxt() {
    return String.join("\n", vocab) + "\n";
  }

  /**
   * Reads a Hugging Face {@code tokenizer.json} with a WordPiece model.
   *
   * @param file the tokenizer file, kept as {@link #tokenizerJson()}
   * @return the vocabulary from {@code model.vocab} and the normalizer's lowercase flag
   */
  public static TokenizerFiles fromTokenizerJson(Path file) {
    try {
      return parseTokenizerJson(Files.readAllBytes(file), file, file.toString());
    } catch (IOException e) {
      throw new RetortException(file.toString(), "cannot read: " + e, "Check the path", e);
    }
  }

  /**
   * Parses {@code tokenizer.json} content.
   *
   * @param json the file content
   * @param path where the file is on disk, or {@code null}
   * @param source a name for errors
   * @return the vocabulary ordered by id and the lowercase flag
   */
  public static TokenizerFiles parseTokenizerJson(byte[] json, Path path, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new RetortException(
          source, "is not valid JSON: " + e.getMessage(), "Check the file", e);
    }
    JsonNode model = root.path("model");
    JsonNode vocab = model.path("vocab");
    if (!"WordPiece".equals(model.path("type").asText("WordPiece")) || !vocab.isObject()) {
      throw new RetortException(
          source + " key 'model'",
          "is not a WordPiece model with a token-to-id map (type "
              + model.path("type").asText()
              + ")",
          "BERT models need a WordPiece tokenizer.json or a vocab.txt");
    }
    String[] tokens = new String[vocab.size()];
    var it = vocab.properties().iterator();
    while (it.hasNext()) {
      var e = it.next();
      int id = e.getValue().asInt(-1);
      if (id < 0 || id >= tokens.length || tokens[id] != null) {
        throw new RetortException(
            source + " key 'model.vocab." + e.getKey() + "'",
            "id " + e.getValue() + " is out of range or repeated",
            "Vocabulary ids must be 0..V-1, each used once");
      }
      tokens[id] = e.getKey();
    }
    return new TokenizerFiles(List.of(tokens), lowercases(root.path("normalizer")), path);
  }

  private static boolean lowercases(JsonNode normalizer) {
    String type = normalizer.path("type").asText("");
    return switch (type) {
      case "BertNormalizer" -> normalizer.path("lowercase").asBoolean(true);
      case "Lowercase" -> true;
      case "Sequence" -> {
        boolean any = false;
        for (JsonNode n : normalizer.path("normalizers")) {
          any |= lowercases(n);
        }
        yield any;
      }
      default -> false;
    };
  }
}

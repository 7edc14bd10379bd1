package dev.retort.core.job;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a job file (YAML, or the JSON of a training request) against a {@link Section} schema.
 *
 * <p>Every error names the file, line and column, the dotted key and what to do: an unknown key
 * (with the closest known key as a suggestion), a value of the wrong type, a choice outside its
 * allowed values, a missing required key. Numbers may be written as {@code 5e-5} (YAML 1.1 reads
 * that as a string; the parser accepts it for number keys).
 */
public final class JobParser {
  private final Section schema;

  /**
   * Creates a parser.
   *
   * @param schema the root section
   */
  public JobParser(Section schema) {
    this.schema = schema;
  }

  /**
   * Parses a file.
   *
   * @param file the job file
   * @return the values with defaults
   * @throws RetortException if the file is missing, malformed or does not fit the schema
   */
  public ConfigValues parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new RetortException(file.toString(), "the job file does not exist", "Check the path");
    } catch (IOException e) {
      throw new RetortException(file.toString(), "cannot read the job file: " + e.getMessage(), "Check its permissions", e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses text.
   *
   * @param text YAML or JSON
   * @param source a name for error messages (file name, "request job-42")
   * @return the values with defaults
   */
  public ConfigValues parse(String text, String source) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark();
      String where = m == null ? source : source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
      throw new RetortException(where, "not valid YAML: " + e.getProblem(), "Fix the syntax (indentation, colons, quotes)", e);
    } catch (RuntimeException e) {
      throw new RetortException(source, "not valid YAML: " + e.getMessage(), "Fix the syntax", e);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Set<String> explicit = new HashSet<>();
    if (root == null) {
      root = new MappingNode(Tag.MAP, new ArrayList<>(), org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
    }
    if (!(root instanceof MappingNode map)) {
      throw new RetortException(at(source, root), "the job file must be a mapping of keys to values", "Start with keys like 'task:' and 'distill:'");
    }
    readSection(schema, map, "", source, values, explicit);
    return new ConfigValues(source, values, explicit);
  }

  private void readSection(
      Section section, MappingNode node, String prefix, String source, Map<String, Object> values, Set<String> explicit) {
    Set<String> seen = new HashSet<>();
    if (node != null) {
      for (NodeTuple t : node.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
          throw new RetortException(at(source, t.getKeyNode()), "keys must be plain names", "Use 'name: value'");
        }
        String key = keyNode.getValue();
        String path = prefix + key;
        seen.add(key);
        var spec = section.key(key);
        var sub = section.section(key);
        if (spec.isPresent()) {
          Object v = ValueReader.read(spec.get(), t.getValueNode(), path, at(source, t.getValueNode()));
          if (v != null) {
            values.put(path, v);
            explicit.add(path);
          }
        } else if (sub.isPresent()) {
          Node v = t.getValueNode();
          if (v instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            readSection(sub.get(), null, path + ".", source, values, explicit);
          } else if (v instanceof MappingNode m) {
            readSection(sub.get(), m, path + ".", source, values, explicit);
          } else {
            throw new RetortException(at(source, v) + " key '" + path + "'", "expected a section of keys", "Indent the keys of '" + key + "' below it");
          }
        } else {
          String hint = Suggestions.closest(key, section.names());
          throw new RetortException(
              at(source, keyNode) + " key '" + path + "'",
              "unknown key",
              (hint != null ? "Did you mean '" + prefix + hint + "'? " : "")
                  + "Known keys here: " + String.join(", ", section.names())
                  + " (see the job file reference)");
        }
      }
    }
    for (KeySpec k : section.keys()) {
      if (!seen.contains(k.name())) {
        if (k.required()) {
          throw new RetortException(
              source + " key '" + prefix + k.name() + "'", "required key is missing", "Add it: " + k.doc());
        }
        if (k.defaultValue() != null) {
          values.put(prefix + k.name(), k.defaultValue());
        }
      }
    }
    for (Section s : section.sections()) {
      if (!seen.contains(s.name())) {
        readSection(s, null, prefix + s.name() + ".", source, values, explicit);
      }
    }
  }

  static String at(String source, Node n) {
    if (n == null || n.getStartMark() == null) {
      return source;
    }
    Mark m = n.getStartMark();
    return source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
  }

  /** Reads the scalar, list or map value of one key. */
  static final class ValueReader {
    private ValueReader() {}

    static Object read(KeySpec spec, Node node, String path, String where) {
      String at = where + " key '" + path + "'";
      if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
        return null;
      }
      return switch (spec.type()) {
        case STRING -> scalar(node, at, spec).getValue();
        case INTEGER -> integer(scalar(node, at, spec), at);
        case NUMBER -> number(scalar(node, at, spec), at);
        case BOOLEAN -> bool(scalar(node, at, spec), at);
        case CHOICE -> choice(scalar(node, at, spec), at, spec);
        case INTEGER_LIST -> {
          List<Long> out = new ArrayList<>();
          for (Node item : sequence(node, at, spec)) {
            out.add(integer(scalar(item, at, spec), at));
          }
          yield List.copyOf(out);
        }
        case STRING_LIST -> {
          List<String> out = new ArrayList<>();
          for (Node item : sequence(node, at, spec)) {
            out.add(scalar(item, at, spec).getValue());
          }
          yield List.copyOf(out);
        }
        case STRING_MAP -> {
          if (!(node instanceof MappingNode m)) {
            throw wrongType(at, spec, node);
          }
          Map<String, String> out = new LinkedHashMap<>();
          for (NodeTuple t : m.getValue()) {
            out.put(scalar(t.getKeyNode(), at, spec).getValue(), scalar(t.getValueNode(), at, spec).getValue());
          }
          yield Map.copyOf(out);
        }
      };
    }

    private static ScalarNode scalar(Node node, String at, KeySpec spec) {
      if (node instanceof ScalarNode s) {
        return s;
      }
      throw wrongType(at, spec, node);
    }

    private static List<Node> sequence(Node node, String at, KeySpec spec) {
      if (node instanceof SequenceNode s) {
        return s.getValue();
      }
      throw wrongType(at, spec, node);
    }

    private static RetortException wrongType(String at, KeySpec spec, Node node) {
      String got = node instanceof MappingNode ? "a section" : node instanceof SequenceNode ? "a list" : "'" + ((ScalarNode) node).getValue() + "'";
      return new RetortException(at, "expected " + article(spec.type().label()) + ", got " + got, "See the job file reference: " + spec.doc());
    }

    private static String article(String label) {
      return (label.startsWith("a") || label.startsWith("i") ? "an " : "a ") + label;
    }

    private static Long integer(ScalarNode s, String at) {
      String v = s.getValue().trim().replace("_", "");
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        try {
          double d = Double.parseDouble(v);
          if (d == Math.rint(d) && Math.abs(d) < 9e15) {
            return (long) d;
          }
        } catch (NumberFormatException ignored) {
          // fall through to the error
        }
        throw new RetortException(at, "expected an integer, got '" + s.getValue() + "'", "Write a whole number such as 32");
      }
    }

    private static Double number(ScalarNode s, String at) {
      try {
        double d = Double.parseDouble(s.getValue().trim());
        if (!Double.isFinite(d)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw new RetortException(at, "expected a number, got '" + s.getValue() + "'", "Write a finite number such as 0.01 or 5e-5");
      }
    }

    private static Boolean bool(ScalarNode s, String at) {
      return switch (s.getValue().trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw new RetortException(at, "expected true or false, got '" + s.getValue() + "'", "Write true or false");
      };
    }

    private static String choice(ScalarNode s, String at, KeySpec spec) {
      String v = s.getValue().trim();
      if (spec.choices().contains(v)) {
        return v;
      }
      String hint = Suggestions.closest(v, spec.choices());
      throw new RetortException(
          at,
          "'" + v + "' is not one of " + String.join(", ", spec.choices()),
          hint != null ? "Did you mean '" + hint + "'?" : "Pick one of them");
    }
  }
}

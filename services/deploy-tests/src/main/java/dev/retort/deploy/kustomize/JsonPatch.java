package dev.retort.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Applies JSON patches (RFC 6902: add, remove, replace, copy, move, test) to an object, in place. */
public final class JsonPatch {
  private JsonPatch() {}

  /**
   * Applies a list of operations.
   *
   * @param target the object
   * @param ops the operations ({@code [{op, path, value|from}, ...]})
   * @param source where the patch comes from, for errors
   */
  public static void apply(ObjectNode target, JsonNode ops, String source) {
    for (JsonNode op : ops) {
      String kind = op.path("op").asText();
      String path = op.path("path").asText(null);
      if (path == null) {
        throw new KustomizeException(source + ": operation without a path: " + op);
      }
      switch (kind) {
        case "add" -> add(target, path, value(op, source), source);
        case "remove" -> remove(target, path, source);
        case "replace" -> {
          get(target, path, source);
          remove(target, path, source);
          add(target, path, value(op, source), source);
        }
        case "copy" -> add(target, path, get(target, op.path("from").asText(), source).deepCopy(), source);
        case "move" -> {
          JsonNode v = get(target, op.path("from").asText(), source);
          remove(target, op.path("from").asText(), source);
          add(target, path, v, source);
        }
        case "test" -> {
          if (!get(target, path, source).equals(value(op, source))) {
            throw new KustomizeException(source + ": test failed at " + path);
          }
        }
        default -> throw new KustomizeException(source + ": unknown operation '" + kind + "'");
      }
    }
  }

  private static JsonNode value(JsonNode op, String source) {
    if (!op.has("value")) {
      throw new KustomizeException(source + ": operation without a value: " + op);
    }
    return op.get("value").deepCopy();
  }

  private static List<String> tokens(String path, String source) {
    if (path.isEmpty()) {
      return List.of();
    }
    if (!path.startsWith("/")) {
      throw new KustomizeException(source + ": a JSON pointer starts with '/': " + path);
    }
    List<String> out = new ArrayList<>();
    for (String t : path.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode root, String path, String source) {
    JsonNode node = root;
    for (String t : tokens(path, source)) {
      node = child(node, t);
      if (node == null) {
        throw new KustomizeException(source + ": no value at " + path);
      }
    }
    return node;
  }

  private static JsonNode child(JsonNode node, String token) {
    if (node.isObject()) {
      return node.get(token);
    }
    if (node.isArray() && token.matches("\\d+")) {
      int i = Integer.parseInt(token);
      return i < node.size() ? node.get(i) : null;
    }
    return null;
  }

  private static JsonNode parent(JsonNode root, List<String> tokens, String path, String source) {
    JsonNode node = root;
    for (String t : tokens.subList(0, tokens.size() - 1)) {
      node = child(node, t);
      if (node == null) {
        throw new KustomizeException(source + ": no parent for " + path);
      }
    }
    return node;
  }

  private static void add(ObjectNode root, String path, JsonNode value, String source) {
    List<String> t = tokens(path, source);
    if (t.isEmpty()) {
      throw new KustomizeException(source + ": cannot replace the whole object");
    }
    JsonNode parent = parent(root, t, path, source);
    String last = t.get(t.size() - 1);
    if (parent.isObject()) {
      ((ObjectNode) parent).set(last, value);
    } else if (parent.isArray()) {
      ArrayNode a = (ArrayNode) parent;
      if (last.equals("-")) {
        a.add(value);
      } else {
        int i = Integer.parseInt(last);
        if (i > a.size()) {
          throw new KustomizeException(source + ": index out of range at " + path);
        }
        a.insert(i, value);
      }
    } else {
      throw new KustomizeException(source + ": cannot add below a scalar at " + path);
    }
  }

  private static void remove(ObjectNode root, String path, String source) {
    List<String> t = tokens(path, source);
    JsonNode parent = parent(root, t, path, source);
    String last = t.get(t.size() - 1);
    if (parent.isObject() && parent.has(last)) {
      ((ObjectNode) parent).remove(last);
    } else if (parent.isArray() && last.matches("\\d+") && Integer.parseInt(last) < parent.size()) {
      ((ArrayNode) parent).remove(Integer.parseInt(last));
    } else {
      throw new KustomizeException(source + ": no value to remove at " + path);
    }
  }
}

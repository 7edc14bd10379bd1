package dev.retort.core.job;

import java.util.List;

/**
 * One key of the job file: its name within its section, type, default and meaning. The parser
 * checks values against it and the reference page is generated from it, so the two cannot drift.
 *
 * @param name the key, kebab-case
 * @param type the value type
 * @param defaultValue the default as the parser produces it (String, Long, Double, Boolean, List
 *     or Map), or null when the key has no default (optional or required)
 * @param required whether the key must be given
 * @param choices the allowed values of a {@link KeyType#CHOICE}
 * @param doc what the key means
 */
public record KeySpec(
    String name, KeyType type, Object defaultValue, boolean required, List<String> choices, String doc) {

  /** Copies the choices. */
  public KeySpec {
    choices = List.copyOf(choices);
  }

  /** A string key with a default (null: optional). */
  public static KeySpec string(String name, String def, String doc) {
    return new KeySpec(name, KeyType.STRING, def, false, List.of(), doc);
  }

  /** A string key that must be given. */
  public static KeySpec requiredString(String name, String doc) {
    return new KeySpec(name, KeyType.STRING, null, true, List.of(), doc);
  }

  /** An integer key. */
  public static KeySpec integer(String name, Long def, String doc) {
    return new KeySpec(name, KeyType.INTEGER, def, false, List.of(), doc);
  }

  /** A number key. */
  public static KeySpec number(String name, Double def, String doc) {
    return new KeySpec(name, KeyType.NUMBER, def, false, List.of(), doc);
  }

  /** A boolean key. */
  public static KeySpec bool(String name, boolean def, String doc) {
    return new KeySpec(name, KeyType.BOOLEAN, def, false, List.of(), doc);
  }

  /** A choice key; the default must be one of the choices (or null). */
  public static KeySpec choice(String name, String def, List<String> choices, String doc) {
    if (def != null && !choices.contains(def)) {
      throw new IllegalArgumentException(name + ": default " + def + " is not among " + choices);
    }
    return new KeySpec(name, KeyType.CHOICE, def, false, choices, doc);
  }

  /** A list-of-integers key. */
  public static KeySpec integers(String name, List<Long> def, String doc) {
    return new KeySpec(name, KeyType.INTEGER_LIST, def, false, List.of(), doc);
  }

  /** A list-of-strings key. */
  public static KeySpec strings(String name, List<String> def, String doc) {
    return new KeySpec(name, KeyType.STRING_LIST, def, false, List.of(), doc);
  }

  /** A string-map key. */
  public static KeySpec stringMap(String name, String doc) {
    return new KeySpec(name, KeyType.STRING_MAP, null, false, List.of(), doc);
  }
}

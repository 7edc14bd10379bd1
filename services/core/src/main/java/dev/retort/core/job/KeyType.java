package dev.retort.core.job;

/** The value types a job-file key can have. */
public enum KeyType {
  /** A string. */
  STRING("string"),
  /** A whole number that fits in 64 bits. */
  INTEGER("integer"),
  /** A number (integers are accepted). */
  NUMBER("number"),
  /** {@code true} or {@code false}. */
  BOOLEAN("boolean"),
  /** One of a fixed set of strings. */
  CHOICE("choice"),
  /** A list of integers. */
  INTEGER_LIST("list of integers"),
  /** A list of strings. */
  STRING_LIST("list of strings"),
  /** A mapping of strings to strings. */
  STRING_MAP("map of strings");

  private final String label;

  KeyType(String label) {
    this.label = label;
  }

  /** Returns the type as the reference page and error messages name it. */
  public String label() {
    return label;
  }
}

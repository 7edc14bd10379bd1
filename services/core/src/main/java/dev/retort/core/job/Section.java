package dev.retort.core.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A mapping in the job file: its keys and nested sections.
 *
 * @param name the section's key (empty for the root)
 * @param doc what the section configures
 * @param keys the scalar, list and map keys
 * @param sections the nested sections
 */
public record Section(String name, String doc, List<KeySpec> keys, List<Section> sections) {

  /** Copies the lists. */
  public Section {
    keys = List.copyOf(keys);
    sections = List.copyOf(sections);
  }

  /** Starts a section. */
  public static Builder builder(String name, String doc) {
    return new Builder(name, doc);
  }

  /** Returns the key of this name, if any. */
  public Optional<KeySpec> key(String k) {
    return keys.stream().filter(s -> s.name().equals(k)).findFirst();
  }

  /** Returns the nested section of this name, if any. */
  public Optional<Section> section(String k) {
    return sections.stream().filter(s -> s.name().equals(k)).findFirst();
  }

  /** Returns every key and section name, for suggestions. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    keys.forEach(k -> out.add(k.name()));
    sections.forEach(s -> out.add(s.name()));
    return out;
  }

  /** Builds a {@link Section}. */
  public static final class Builder {
    private final String name;
    private final String doc;
    private final List<KeySpec> keys = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();

    private Builder(String name, String doc) {
      this.name = name;
      this.doc = doc;
    }

    /** Adds a key. */
    public Builder key(KeySpec k) {
      keys.add(k);
      return this;
    }

    /** Adds a nested section. */
    public Builder section(Section s) {
      sections.add(s);
      return this;
    }

    /** Builds the section, refusing duplicate names. */
    public Section build() {
      Section s = new Section(name, doc, keys, sections);
      if (s.names().stream().distinct().count() != s.names().size()) {
        throw new IllegalStateException("duplicate key in section " + name + ": " + s.names());
      }
      return s;
    }
  }
}

package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An explicit, ordered mapping from label strings to ids 0..C-1.
 *
 * <p>The order is the order of the declared list and never depends on hashing, so ids are stable
 * across runs and machines (HRKD's Amazon label set is a Python {@code set}, whose order does
 * depend on hashing; this class exists to avoid that). The same type maps domain names to domain
 * ids ({@link #ofDomains}). Instances are immutable.
 */
public final class LabelMap {
  private final List<String> names;
  private final Map<String, Integer> ids;
  private final String noun;

  private LabelMap(List<String> names, String noun) {
    this.names = List.copyOf(names);
    this.noun = noun;
    this.ids = new HashMap<>();
    for (int i = 0; i < this.names.size(); i++) {
      if (ids.put(this.names.get(i), i) != null) {
        throw new RetortException(
            noun + " list " + this.names,
            "the " + noun + " '" + this.names.get(i) + "' is declared twice",
            "Declare each " + noun + " once");
      }
    }
  }

  /**
   * Creates a label map from a declared list; label i gets id i.
   *
   * @param labels the labels, in id order, distinct
   * @return the map
   */
  public static LabelMap of(List<String> labels) {
    return new LabelMap(labels, "label");
  }

  /**
   * Creates a label map from declared labels; label i gets id i.
   *
   * @param labels the labels, in id order, distinct
   * @return the map
   */
  public static LabelMap of(String... labels) {
    return of(List.of(labels));
  }

  /**
   * Creates a domain map; domain i gets id i. Error messages say "domain" instead of "label".
   *
   * @param domains the domains, in id order, distinct
   * @return the map
   */
  public static LabelMap ofDomains(List<String> domains) {
    return new LabelMap(domains, "domain");
  }

  /** Returns the empty map used by regression tasks. */
  public static LabelMap none() {
    return new LabelMap(List.of(), "label");
  }

  /** Returns the number of labels (C). */
  public int size() {
    return names.size();
  }

  /** Returns the labels in id order. */
  public List<String> labels() {
    return names;
  }

  /**
   * Returns the label with an id.
   *
   * @param id the id, 0 to C-1
   * @return the label
   */
  public String label(int id) {
    return names.get(id);
  }

  /**
   * Returns whether a label is known.
   *
   * @param label the label
   * @return true if it has an id
   */
  public boolean contains(String label) {
    return ids.containsKey(label);
  }

  /**
   * Returns the id of a label, or throws an error naming where it was found.
   *
   * @param label the label as written in the data
   * @param where the file and line (or example id) for the error message
   * @return the id
   * @throws RetortException if the label is not declared, listing the known labels
   */
  public int id(String label, String where) {
    Integer id = ids.get(label);
    if (id == null) {
      throw new RetortException(
          where,
          "unknown " + noun + " '" + label + "'; the known " + noun + "s are " + names,
          "Fix the data or declare the " + noun + " in the " + noun + " list");
    }
    return id;
  }

  /** {@inheritDoc} */
  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMap m && names.equals(m.names);
  }

  /** {@inheritDoc} */
  @Override
  public int hashCode() {
    return names.hashCode();
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "LabelMap" + names;
  }
}

package dev.retort.core.data;

import java.util.Objects;

/**
 * One raw example: one or two texts, a label as written in the data, and an optional domain.
 *
 * @param textA the first (or only) text
 * @param textB the second text of a pair task, or null
 * @param label the label as a string (a class name, or a number for regression), or null when the
 *     data has no labels (GLUE test files)
 * @param domain the domain (MNLI genre, review category), or null
 * @param id a stable identifier, unique within its data set
 */
public record Example(String textA, String textB, String label, String domain, String id) {
  /** Checks the required components. */
  public Example {
    Objects.requireNonNull(textA, "textA");
    Objects.requireNonNull(id, "id");
  }

  /** Returns whether the example has a label. */
  public boolean isLabelled() {
    return label != null;
  }

  /** Returns whether the example is a text pair. */
  public boolean isPair() {
    return textB != null;
  }
}

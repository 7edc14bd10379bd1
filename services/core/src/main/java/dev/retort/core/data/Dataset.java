package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An immutable, named list of examples with its task type and label map.
 *
 * <p>Every labelled example is checked on construction: a classification label must be in the label
 * map, a regression label must parse as a float.
 *
 * @param name a name for logs and errors, such as {@code "MNLI/train"}
 * @param taskType classification or regression
 * @param labels the label map; empty for regression
 * @param examples the examples, in order
 */
public record Dataset(String name, TaskType taskType, LabelMap labels, List<Example> examples) {
  /** Validates the examples and copies the list. */
  public Dataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(labels, "labels");
    examples = List.copyOf(examples);
    for (Example e : examples) {
      if (!e.isLabelled()) {
        continue;
      }
      String where = name + " example " + e.id();
      if (taskType == TaskType.CLASSIFICATION) {
        labels.id(e.label(), where);
      } else {
        parseTarget(e.label(), where);
      }
    }
  }

  /**
   * Parses a regression label.
   *
   * @param label the label string
   * @param where the location for the error message
   * @return the value
   * @throws RetortException if the label is not a finite number
   */
  public static float parseTarget(String label, String where) {
    try {
      float v = Float.parseFloat(label.trim());
      if (Float.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new RetortException(
        where, "the regression label '" + label + "' is not a number", "Write a decimal number");
  }

  /** Returns the number of examples. */
  public int size() {
    return examples.size();
  }

  /** Returns the example at an index. */
  public Example get(int index) {
    return examples.get(index);
  }

  /** Returns whether every example has a label. */
  public boolean isLabelled() {
    return examples.stream().allMatch(Example::isLabelled);
  }

  /** Returns the distinct domains in order of first appearance (null domains are skipped). */
  public List<String> domains() {
    LinkedHashSet<String> set = new LinkedHashSet<>();
    for (Example e : examples) {
      if (e.domain() != null) {
        set.add(e.domain());
      }
    }
    return List.copyOf(set);
  }

  /**
   * Returns the label ids of a classification data set; -1 for unlabelled examples.
   *
   * @return one id per example // [N]
   */
  public int[] labelIds() {
    if (taskType != TaskType.CLASSIFICATION) {
      throw new IllegalStateException(name + " is a regression data set");
    }
    int[] out = new int[examples.size()];
    for (int i = 0; i < out.length; i++) {
      Example e = examples.get(i);
      out[i] = e.isLabelled() ? labels.id(e.label(), name + " example " + e.id()) : -1;
    }
    return out;
  }

  /**
   * Returns the targets of a regression data set; NaN for unlabelled examples.
   *
   * @return one value per example // [N]
   */
  public float[] targets() {
    if (taskType != TaskType.REGRESSION) {
      throw new IllegalStateException(name + " is a classification data set");
    }
    float[] out = new float[examples.size()];
    for (int i = 0; i < out.length; i++) {
      Example e = examples.get(i);
      out[i] = e.isLabelled() ? parseTarget(e.label(), name + " example " + e.id()) : Float.NaN;
    }
    return out;
  }

  /**
   * Returns a data set with other examples and the same task, labels and name.
   *
   * @param newName the new name
   * @param newExamples the examples
   * @return the data set
   */
  public Dataset withExamples(String newName, List<Example> newExamples) {
    return new Dataset(newName, taskType, labels, newExamples);
  }

  /**
   * Returns the examples that satisfy a condition, in order.
   *
   * @param newName the new name
   * @param keep the condition
   * @return the filtered data set
   */
  public Dataset filter(String newName, Predicate<Example> keep) {
    List<Example> kept = new ArrayList<>();
    for (Example e : examples) {
      if (keep.test(e)) {
        kept.add(e);
      }
    }
    return withExamples(newName, kept);
  }

  /**
   * Returns the examples of one domain, named {@code name + "/" + domain}.
   *
   * @param domain the domain
   * @return the data set of that domain
   */
  public Dataset domain(String domain) {
    return filter(name + "/" + domain, e -> domain.equals(e.domain()));
  }
}

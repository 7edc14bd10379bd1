package dev.retort.core.weights;

import dev.retort.core.model.BertConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The contents of a Hugging Face BERT {@code config.json}: the encoder's shape plus the
 * classification extras of {@code BertForSequenceClassification}.
 *
 * @param bert the encoder configuration
 * @param labels class names by id ({@code id2label}); empty for a bare encoder, one entry for
 *     regression
 * @param problemType the task kind, or {@code null} if the file does not say
 * @param architectures the model classes, e.g. {@code ["BertForSequenceClassification"]}
 */
public record HfConfig(
    BertConfig bert, List<String> labels, ProblemType problemType, List<String> architectures) {

  /** Hugging Face's {@code problem_type} values. */
  public enum ProblemType {
    /** One label per example, cross-entropy loss. */
    SINGLE_LABEL("single_label_classification"),
    /** Any number of labels per example, binary cross-entropy per label. */
    MULTI_LABEL("multi_label_classification"),
    /** One real-valued output, mean squared error. */
    REGRESSION("regression");

    private final String hfName;

    ProblemType(String hfName) {
      this.hfName = hfName;
    }

    /** Returns the value used in {@code config.json}. */
    public String hfName() {
      return hfName;
    }

    /**
     * Parses a {@code problem_type} value.
     *
     * @param s the value
     * @return the problem type, or {@code null} if {@code s} is not one
     */
    public static ProblemType parse(String s) {
      for (ProblemType p : values()) {
        if (p.hfName.equals(s.toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      return null;
    }
  }

  /** Copies the lists. */
  public HfConfig {
    labels = List.copyOf(labels);
    architectures = List.copyOf(architectures);
  }

  /** Returns the number of outputs of the classifier, C (0 for a bare encoder). */
  public int numLabels() {
    return labels.size();
  }

  /**
   * Returns the configuration of a bare encoder ({@code BertModel}).
   *
   * @param bert the encoder configuration
   * @return a configuration without labels
   */
  public static HfConfig encoder(BertConfig bert) {
    return new HfConfig(bert, List.of(), null, List.of("BertModel"));
  }

  /**
   * Returns the configuration of a single-label classifier.
   *
   * @param bert the encoder configuration
   * @param labels class names by id, at least two
   * @return a {@code BertForSequenceClassification} configuration
   */
  public static HfConfig classifier(BertConfig bert, List<String> labels) {
    if (labels.size() < 2) {
      throw new IllegalArgumentException("a classifier needs at least two labels, got " + labels);
    }
    return new HfConfig(
        bert, labels, ProblemType.SINGLE_LABEL, List.of("BertForSequenceClassification"));
  }

  /**
   * Returns the configuration of a regression model with one output.
   *
   * @param bert the encoder configuration
   * @return a {@code BertForSequenceClassification} configuration with {@code num_labels = 1}
   */
  public static HfConfig regression(BertConfig bert) {
    return new HfConfig(
        bert, List.of("LABEL_0"), ProblemType.REGRESSION, List.of("BertForSequenceClassification"));
  }

  /** Returns Hugging Face's default names {@code LABEL_0 .. LABEL_{n-1}}. */
  public static List<String> defaultLabels(int n) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add("LABEL_" + i);
    }
    return l;
  }
}

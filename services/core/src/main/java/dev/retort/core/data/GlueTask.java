package dev.retort.core.data;

import static dev.retort.core.data.GlueLayout.LAST;
import static dev.retort.core.data.GlueLayout.NONE;

import dev.retort.core.RetortException;
import dev.retort.core.metrics.TaskMetric;
import java.util.List;
import java.util.Locale;

/**
 * The GLUE tasks with their files, column layouts, labels and metrics (methods.md 4.1, 4.2).
 *
 * <p>Labels are in the id order of the reference code ({@code contradiction, entailment, neutral}
 * for MNLI). The metrics here select as EfficientBERT does: MRPC/QQP by (acc+F1)/2, STS-B by
 * (P+S)/2, CoLA by MCC, the rest by accuracy. BERT-EMD selects MRPC/QQP by accuracy: the task
 * resolver switches to that for every job but an EfficientBERT student's ({@link
 * TaskMetric#withSelection}).
 */
public enum GlueTask {
  /** Corpus of Linguistic Acceptability; train/dev have no header row. */
  COLA(
      "CoLA",
      List.of("0", "1"),
      new GlueLayout(3, NONE, 1, false, NONE),
      new GlueLayout(1, NONE, NONE, true, 0),
      TaskMetric.MATTHEWS),
  /** Stanford Sentiment Treebank, binary. */
  SST2(
      "SST-2",
      List.of("0", "1"),
      new GlueLayout(0, NONE, 1, true, NONE),
      new GlueLayout(1, NONE, NONE, true, 0),
      TaskMetric.ACCURACY),
  /** Microsoft Research Paraphrase Corpus; the label is column 0. */
  MRPC(
      "MRPC",
      List.of("0", "1"),
      new GlueLayout(3, 4, 0, true, NONE),
      new GlueLayout(3, 4, NONE, true, 0),
      TaskMetric.ACC_AND_F1),
  /** Quora Question Pairs. */
  QQP(
      "QQP",
      List.of("0", "1"),
      new GlueLayout(3, 4, 5, true, 0),
      new GlueLayout(1, 2, NONE, true, 0),
      TaskMetric.ACC_AND_F1),
  /** Semantic Textual Similarity Benchmark; regression on 0 to 5. */
  STSB(
      "STS-B",
      List.of(),
      new GlueLayout(7, 8, LAST, true, 0),
      new GlueLayout(7, 8, NONE, true, 0),
      TaskMetric.CORRELATION),
  /** MultiNLI, matched dev/test files. */
  MNLI(
      "MNLI",
      List.of("contradiction", "entailment", "neutral"),
      new GlueLayout(8, 9, LAST, true, 0),
      new GlueLayout(8, 9, NONE, true, 0),
      TaskMetric.ACCURACY),
  /** MultiNLI, mismatched dev/test files (same training file as {@link #MNLI}). */
  MNLI_MM(
      "MNLI",
      List.of("contradiction", "entailment", "neutral"),
      new GlueLayout(8, 9, LAST, true, 0),
      new GlueLayout(8, 9, NONE, true, 0),
      TaskMetric.ACCURACY),
  /** Question NLI. */
  QNLI(
      "QNLI",
      List.of("entailment", "not_entailment"),
      new GlueLayout(1, 2, LAST, true, 0),
      new GlueLayout(1, 2, NONE, true, 0),
      TaskMetric.ACCURACY),
  /** Recognizing Textual Entailment. */
  RTE(
      "RTE",
      List.of("entailment", "not_entailment"),
      new GlueLayout(1, 2, LAST, true, 0),
      new GlueLayout(1, 2, NONE, true, 0),
      TaskMetric.ACCURACY),
  /** Winograd NLI. */
  WNLI(
      "WNLI",
      List.of("0", "1"),
      new GlueLayout(1, 2, LAST, true, 0),
      new GlueLayout(1, 2, NONE, true, 0),
      TaskMetric.ACCURACY),
  /** The MNLI diagnostic set {@code MNLI/diagnostic.tsv}: test only, unlabelled. */
  AX(
      "MNLI",
      List.of("contradiction", "entailment", "neutral"),
      new GlueLayout(1, 2, NONE, true, 0),
      new GlueLayout(1, 2, NONE, true, 0),
      TaskMetric.ACCURACY);

  private final String directory;
  private final List<String> labels;
  private final GlueLayout labelledLayout;
  private final GlueLayout testLayout;
  private final TaskMetric metric;

  GlueTask(
      String directory,
      List<String> labels,
      GlueLayout labelledLayout,
      GlueLayout testLayout,
      TaskMetric metric) {
    this.directory = directory;
    this.labels = labels;
    this.labelledLayout = labelledLayout;
    this.testLayout = testLayout;
    this.metric = metric;
  }

  /** Returns the directory under the GLUE root, such as {@code "SST-2"}. */
  public String directory() {
    return directory;
  }

  /** Returns the labels in id order; empty for STS-B. */
  public List<String> labels() {
    return labels;
  }

  /** Returns the label map. */
  public LabelMap labelMap() {
    return labels.isEmpty() ? LabelMap.none() : LabelMap.of(labels);
  }

  /** Returns classification or regression. */
  public TaskType taskType() {
    return this == STSB ? TaskType.REGRESSION : TaskType.CLASSIFICATION;
  }

  /** Returns the reported metrics and the model-selection key. */
  public TaskMetric metric() {
    return metric;
  }

  /**
   * Returns the column layout of a split.
   *
   * @param split the split
   * @return the layout
   */
  public GlueLayout layout(GlueSplit split) {
    return split == GlueSplit.TEST ? testLayout : labelledLayout;
  }

  /**
   * Returns the file name of a split inside {@link #directory()}.
   *
   * @param split the split
   * @return the file name, such as {@code "dev_mismatched.tsv"}
   * @throws RetortException for a split the task does not have (AX has only TEST)
   */
  public String fileName(GlueSplit split) {
    String base = split.name().toLowerCase(Locale.ROOT);
    switch (this) {
      case AX:
        if (split != GlueSplit.TEST) {
          throw new RetortException(
              "task AX", "the diagnostic set has only a test split", "Read GlueSplit.TEST");
        }
        return "diagnostic.tsv";
      case MNLI:
        return split == GlueSplit.TRAIN ? "train.tsv" : base + "_matched.tsv";
      case MNLI_MM:
        return split == GlueSplit.TRAIN ? "train.tsv" : base + "_mismatched.tsv";
      default:
        return base + ".tsv";
    }
  }

  /**
   * Parses a task name as written in configs: {@code cola, sst-2, mrpc, qqp, sts-b, mnli, mnli-mm,
   * qnli, rte, wnli, ax} (case-insensitive; the enum names work too).
   *
   * @param name the name
   * @return the task
   */
  public static GlueTask parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace("_", "-");
    switch (n) {
      case "sst-2":
      case "sst2":
        return SST2;
      case "sts-b":
      case "stsb":
        return STSB;
      case "mnli-mm":
        return MNLI_MM;
      case "mnli-m":
        return MNLI;
      default:
        for (GlueTask t : values()) {
          if (t.name().toLowerCase(Locale.ROOT).equals(n)) {
            return t;
          }
        }
        throw new RetortException(
            "task '" + name + "'",
            "not a GLUE task",
            "Use one of cola, sst-2, mrpc, qqp, sts-b, mnli, mnli-mm, qnli, rte, wnli, ax");
    }
  }
}

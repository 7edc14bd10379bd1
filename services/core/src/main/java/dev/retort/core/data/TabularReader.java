package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV, TSV or JSONL files with configurable columns into a {@link Dataset}.
 *
 * <p>CSV and TSV files need a header row naming the columns (CSV uses RFC 4180 quoting, TSV none);
 * JSONL files hold one object per line whose fields are looked up by name. The text column is
 * required; the second text, label, domain and id columns are optional. Without an id column an
 * example's id is {@code <file name>:<line>}. A missing column is an error listing the available
 * ones; a classification label outside the declared label map is an error naming the file and line.
 * Files are UTF-8; a leading byte-order mark is ignored.
 */
public final class TabularReader {
  private final String textColumn;
  private final String textBColumn;
  private final String labelColumn;
  private final String domainColumn;
  private final String idColumn;
  private final TabularFormat format;
  private final TaskType taskType;
  private final LabelMap labels;

  private TabularReader(Builder b) {
    this.textColumn = b.textColumn;
    this.textBColumn = b.textBColumn;
    this.labelColumn = b.labelColumn;
    this.domainColumn = b.domainColumn;
    this.idColumn = b.idColumn;
    this.format = b.format;
    this.taskType = b.taskType;
    this.labels = b.labels == null ? LabelMap.none() : b.labels;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a file.
   *
   * @param file the file
   * @return the data set, named after the file
   */
  public Dataset read(Path file) {
    return read(file, file.getFileName().toString());
  }

  /**
   * Reads a file.
   *
   * @param file the file
   * @param name the data set name
   * @return the data set
   */
  public Dataset read(Path file, String name) {
    TabularFormat f = format != null ? format : TabularFormat.fromExtension(file);
    String noun = f == TabularFormat.JSONL ? "field" : "column";
    List<Example> examples = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      TabularRows.forEach(
          r,
          file.toString(),
          file.getFileName().toString(),
          f,
          row -> examples.add(toExample(row, noun)));
    } catch (NoSuchFileException e) {
      throw new RetortException(file.toString(), "the file does not exist", "Check the path");
    } catch (IOException e) {
      throw new RetortException(
          file.toString(), "cannot read the file: " + e, "Check that it is UTF-8 text", e);
    }
    return new Dataset(name, taskType, labels, examples);
  }

  private Example toExample(TabularRow row, String noun) {
    String where = row.where();
    String textA = row.get(textColumn, noun);
    String textB = textBColumn == null ? null : row.get(textBColumn, noun);
    String label = labelColumn == null ? null : row.get(labelColumn, noun);
    String domain = domainColumn == null ? null : row.get(domainColumn, noun);
    String id = idColumn == null ? row.defaultId() : row.get(idColumn, noun);
    if (textA == null || id == null) {
      throw new RetortException(where, "the text or id is null", "Write a value in every row");
    }
    if (labelColumn != null) {
      if (label == null) {
        throw new RetortException(where, "the label is missing", "Write a label in every row");
      }
      if (taskType == TaskType.CLASSIFICATION) {
        labels.id(label, where);
      } else {
        Dataset.parseTarget(label, where);
      }
    }
    return new Example(textA, textB, label, domain, id);
  }

  /** Builds a {@link TabularReader}. */
  public static final class Builder {
    private String textColumn;
    private String textBColumn;
    private String labelColumn;
    private String domainColumn;
    private String idColumn;
    private TabularFormat format;
    private TaskType taskType = TaskType.CLASSIFICATION;
    private LabelMap labels;

    private Builder() {}

    /**
     * Sets the column (or JSON field) of the first text (required).
     *
     * @param column the column name
     * @return this builder
     */
    public Builder setTextColumn(String column) {
      this.textColumn = column;
      return this;
    }

    /**
     * Sets the column of the second text of a pair task (default none).
     *
     * @param column the column name
     * @return this builder
     */
    public Builder optTextBColumn(String column) {
      this.textBColumn = column;
      return this;
    }

    /**
     * Sets the label column (default none: unlabelled data). Classification needs {@link
     * #optLabels}.
     *
     * @param column the column name
     * @return this builder
     */
    public Builder optLabelColumn(String column) {
      this.labelColumn = column;
      return this;
    }

    /**
     * Sets the domain column (default none).
     *
     * @param column the column name
     * @return this builder
     */
    public Builder optDomainColumn(String column) {
      this.domainColumn = column;
      return this;
    }

    /**
     * Sets the id column (default none: ids are {@code <file name>:<line>}).
     *
     * @param column the column name
     * @return this builder
     */
    public Builder optIdColumn(String column) {
      this.idColumn = column;
      return this;
    }

    /**
     * Sets the format (default: from the file extension).
     *
     * @param format the format
     * @return this builder
     */
    public Builder optFormat(TabularFormat format) {
      this.format = format;
      return this;
    }

    /**
     * Sets the declared label list of a classification task.
     *
     * @param labels the label map
     * @return this builder
     */
    public Builder optLabels(LabelMap labels) {
      this.labels = labels;
      return this;
    }

    /**
     * Makes the task a regression: labels are numbers (default classification).
     *
     * @return this builder
     */
    public Builder optRegression() {
      this.taskType = TaskType.REGRESSION;
      return this;
    }

    /**
     * Builds the reader.
     *
     * @return the reader
     */
    public TabularReader build() {
      if (textColumn == null) {
        throw new IllegalArgumentException("You must specify the text column (setTextColumn).");
      }
      if (taskType == TaskType.CLASSIFICATION && labelColumn != null && labels == null) {
        throw new IllegalArgumentException(
            "You must declare the labels (optLabels) of a classification label column.");
      }
      if (taskType == TaskType.REGRESSION && labels != null) {
        throw new IllegalArgumentException("A regression task has no label list.");
      }
      return new TabularReader(this);
    }
  }
}

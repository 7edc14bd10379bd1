package dev.retort.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
  private static final ObjectMapper JSON = new ObjectMapper();

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
    List<Example> examples = new ArrayList<>();
    String fileName = file.getFileName().toString();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      if (f == TabularFormat.JSONL) {
        readJsonl(r, file.toString(), fileName, examples);
      } else {
        readDelimited(r, f, file.toString(), fileName, examples);
      }
    } catch (NoSuchFileException e) {
      throw new RetortException(file.toString(), "the file does not exist", "Check the path");
    } catch (IOException e) {
      throw new RetortException(
          file.toString(), "cannot read the file: " + e, "Check that it is UTF-8 text", e);
    }
    return new Dataset(name, taskType, labels, examples);
  }

  private void readDelimited(
      BufferedReader r, TabularFormat f, String path, String fileName, List<Example> out)
      throws IOException {
    Map<String, Integer> header = new HashMap<>();
    List<String> headerNames = new ArrayList<>();
    int[] columns = new int[5];
    CsvLikeRows.forEach(
        r,
        path,
        f,
        (line, fields) -> {
          if (headerNames.isEmpty()) {
            headerNames.addAll(fields);
            for (int i = 0; i < fields.size(); i++) {
              header.putIfAbsent(fields.get(i).strip(), i);
            }
            String where = path + ":" + line + " (header)";
            columns[0] = column(header, headerNames, textColumn, where);
            columns[1] = column(header, headerNames, textBColumn, where);
            columns[2] = column(header, headerNames, labelColumn, where);
            columns[3] = column(header, headerNames, domainColumn, where);
            columns[4] = column(header, headerNames, idColumn, where);
            return;
          }
          String where = path + ":" + line;
          if (fields.size() != headerNames.size()) {
            throw new RetortException(
                where,
                "the row has " + fields.size() + " fields but the header has " + headerNames.size(),
                f == TabularFormat.CSV
                    ? "Quote fields that contain commas or line breaks"
                    : "Remove stray tabs from the texts");
          }
          out.add(
              toExample(
                  fields.get(columns[0]),
                  get(fields, columns[1]),
                  get(fields, columns[2]),
                  get(fields, columns[3]),
                  columns[4] >= 0 ? fields.get(columns[4]) : fileName + ":" + line,
                  where));
        });
    if (headerNames.isEmpty()) {
      throw new RetortException(path, "the file is empty", "Write a header row and data rows");
    }
  }

  private static String get(List<String> fields, int column) {
    return column >= 0 ? fields.get(column) : null;
  }

  private static int column(
      Map<String, Integer> header, List<String> names, String column, String where) {
    if (column == null) {
      return -1;
    }
    Integer i = header.get(column);
    if (i == null) {
      throw new RetortException(
          where,
          "no column '" + column + "'; the columns are " + names,
          "Set the column names to ones in the header");
    }
    return i;
  }

  private void readJsonl(BufferedReader r, String path, String fileName, List<Example> out)
      throws IOException {
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      String where = path + ":" + lineNo;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new RetortException(
            where, "not valid JSON: " + e.getOriginalMessage(), "Write one JSON object per line");
      }
      if (!node.isObject()) {
        throw new RetortException(where, "the line is not a JSON object", "Write {\"text\": ...}");
      }
      String id = idColumn != null ? field(node, idColumn, where) : fileName + ":" + lineNo;
      out.add(
          toExample(
              field(node, textColumn, where),
              textBColumn == null ? null : field(node, textBColumn, where),
              labelColumn == null ? null : field(node, labelColumn, where),
              domainColumn == null ? null : field(node, domainColumn, where),
              id,
              where));
    }
  }

  private static String field(JsonNode node, String name, String where) {
    JsonNode v = node.get(name);
    if (v == null) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      throw new RetortException(
          where,
          "no field '" + name + "'; the fields are " + names,
          "Set the field names to ones in the file");
    }
    if (v.isNull()) {
      return null;
    }
    if (v.isContainerNode()) {
      throw new RetortException(
          where, "the field '" + name + "' is not a string or number", "Write a plain value");
    }
    return v.asText();
  }

  private Example toExample(
      String textA, String textB, String label, String domain, String id, String where) {
    if (textA == null) {
      throw new RetortException(where, "the text is null", "Write a text in every row");
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

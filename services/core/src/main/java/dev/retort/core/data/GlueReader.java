package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads GLUE TSV files with the exact layouts of the reference code (methods.md 4.1).
 *
 * <p>Files are UTF-8 with an optional byte-order mark, tab-separated, with no quote character.
 * Classification labels must be in the task's label list and regression labels must be numbers. A
 * row with too few columns, an unknown label or a bad number is an error naming {@code file:line}
 * and the expected layout, unless {@link Builder#optSkipMalformedRows} is set, in which case such
 * rows are counted, logged and skipped. Example ids are the layout's id column where it has one
 * (the index column of most files, the id column of test files), else {@code <file stem>-<line>}
 * (CoLA, SST-2 and MRPC train/dev).
 */
public final class GlueReader {
  private static final Logger LOG = LoggerFactory.getLogger(GlueReader.class);

  private final Path dataDir;
  private final boolean skipMalformed;
  private final int domainColumn;

  private GlueReader(Builder b) {
    this.dataDir = b.dataDir;
    this.skipMalformed = b.skipMalformed;
    this.domainColumn = b.domainColumn;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads one split of a task from {@code <dataDir>/<task dir>/<file>}.
   *
   * @param task the task
   * @param split the split
   * @return the data set, named {@code "<task dir>/<file stem>"}, e.g. {@code "MNLI/dev_matched"}
   */
  public Dataset read(GlueTask task, GlueSplit split) {
    Path file = dataDir.resolve(task.directory()).resolve(task.fileName(split));
    return readFile(file, task, split);
  }

  /**
   * Reads a file with the layout of a task's split.
   *
   * @param file the TSV file
   * @param task the task
   * @param split the split whose layout applies (TEST: unlabelled)
   * @return the data set
   */
  public Dataset readFile(Path file, GlueTask task, GlueSplit split) {
    GlueLayout layout = task.layout(split);
    LabelMap labels = task.labelMap();
    String stem = stem(file);
    List<Example> examples = new ArrayList<>();
    int[] skipped = {0};
    boolean[] first = {true};
    TsvFiles.forEachRow(
        file,
        row -> {
          if (first[0]) {
            first[0] = false;
            if (layout.header()) {
              return;
            }
          }
          try {
            examples.add(toExample(row, layout, task, labels, stem, domainColumn));
          } catch (RetortException e) {
            if (!skipMalformed) {
              throw e;
            }
            skipped[0]++;
            LOG.debug("skipping malformed row: {}", e.getMessage());
          }
        });
    if (skipped[0] > 0) {
      LOG.warn("{}: skipped {} malformed rows", file, skipped[0]);
    }
    String name = task.directory() + "/" + stem;
    return new Dataset(name, task.taskType(), labels, examples);
  }

  private static Example toExample(
      TsvRow row, GlueLayout layout, GlueTask task, LabelMap labels, String stem, int domainCol) {
    if (row.cells().length < Math.max(layout.minColumns(), domainCol + 1)) {
      throw new RetortException(
          row.where(),
          "the row has "
              + row.cells().length
              + " columns; "
              + task
              + " expects "
              + layout.describe(),
          "Check that the file is the original GLUE TSV (tabs, no quoting)");
    }
    String textA = row.cell(layout.textA());
    String textB = layout.textB() == GlueLayout.NONE ? null : row.cell(layout.textB());
    String label = null;
    if (layout.labelled()) {
      label = row.cell(layout.label());
      if (task.taskType() == TaskType.REGRESSION) {
        Dataset.parseTarget(label, row.where() + " (" + layout.describe() + ")");
      } else {
        labels.id(label, row.where() + " (" + layout.describe() + ")");
      }
    }
    String id = layout.id() == GlueLayout.NONE ? stem + "-" + row.line() : row.cell(layout.id());
    String domain = domainCol == GlueLayout.NONE ? null : row.cell(domainCol);
    return new Example(textA, textB, label, domain, id);
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Builds a {@link GlueReader}. */
  public static final class Builder {
    private Path dataDir;
    private boolean skipMalformed;
    private int domainColumn = GlueLayout.NONE;

    private Builder() {}

    /**
     * Sets the GLUE root directory, the one holding {@code CoLA/}, {@code MNLI/}, ... (required).
     *
     * @param dataDir the directory
     * @return this builder
     */
    public Builder setDataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * Sets whether malformed rows are skipped with a warning instead of failing (default false).
     *
     * @param skip whether to skip them
     * @return this builder
     */
    public Builder optSkipMalformedRows(boolean skip) {
      this.skipMalformed = skip;
      return this;
    }

    /**
     * Sets a column whose value becomes each example's domain, such as the MNLI genre (column 3 of
     * train and dev files); default none.
     *
     * @param column the 0-based column
     * @return this builder
     */
    public Builder optDomainColumn(int column) {
      this.domainColumn = column;
      return this;
    }

    /**
     * Builds the reader.
     *
     * @return the reader
     */
    public GlueReader build() {
      if (dataDir == null) {
        throw new IllegalArgumentException("You must specify the GLUE directory (setDataDir).");
      }
      if (domainColumn < 0 && domainColumn != GlueLayout.NONE) {
        throw new IllegalArgumentException("domainColumn must be >= 0, got " + domainColumn);
      }
      return new GlueReader(this);
    }
  }
}

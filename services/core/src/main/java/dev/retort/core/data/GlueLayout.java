package dev.retort.core.data;

import java.util.StringJoiner;

/**
 * The column layout of one GLUE TSV file.
 *
 * <p>Column indices are 0-based; {@link #LAST} means the last column (Python's {@code -1}) and
 * {@link #NONE} means absent.
 *
 * @param textA the column of the first text
 * @param textB the column of the second text, or {@link #NONE}
 * @param label the label column, {@link #LAST}, or {@link #NONE} for unlabelled test files
 * @param header whether the first row is a header to skip
 * @param id the column holding an example id, or {@link #NONE} to use {@code <file>-<line>}
 */
public record GlueLayout(int textA, int textB, int label, boolean header, int id) {
  /** The last column of the row. */
  public static final int LAST = -1;

  /** No such column. */
  public static final int NONE = Integer.MIN_VALUE;

  /** Returns the smallest number of columns a row must have. */
  public int minColumns() {
    int max = Math.max(textA, Math.max(textB, Math.max(label, id)));
    return Math.max(max + 1, 1);
  }

  /** Returns whether the file has labels. */
  public boolean labelled() {
    return label != NONE;
  }

  /** Returns a description such as {@code "text_a=col 8, text_b=col 9, label=last col, header"}. */
  public String describe() {
    StringJoiner j = new StringJoiner(", ");
    j.add("text_a=col " + textA);
    if (textB != NONE) {
      j.add("text_b=col " + textB);
    }
    j.add(label == NONE ? "no label" : label == LAST ? "label=last col" : "label=col " + label);
    if (id != NONE) {
      j.add("id=col " + id);
    }
    j.add(header ? "header row" : "no header row");
    j.add("at least " + minColumns() + " tab-separated columns (0-based)");
    return j.toString();
  }
}

package dev.retort.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small table rendered as aligned plain text for the terminal or as Markdown for files. Columns
 * marked numeric are right-aligned.
 */
public final class TextTable {
  private final List<String> headers;
  private final boolean[] right;
  private final List<List<String>> rows = new ArrayList<>();

  /**
   * Creates a table.
   *
   * @param headers the column headers
   */
  public TextTable(String... headers) {
    this.headers = List.of(headers);
    this.right = new boolean[headers.length];
  }

  /**
   * Right-aligns columns (numbers).
   *
   * @param columns the column indices
   * @return this table
   */
  public TextTable rightAligned(int... columns) {
    for (int c : columns) {
      right[c] = true;
    }
    return this;
  }

  /**
   * Adds a row; missing cells are blank.
   *
   * @param cells the cells, at most one per column
   * @return this table
   */
  public TextTable row(String... cells) {
    if (cells.length > headers.size()) {
      throw new IllegalArgumentException(
          cells.length + " cells for " + headers.size() + " columns");
    }
    String[] full = Arrays.copyOf(cells, headers.size());
    for (int i = 0; i < full.length; i++) {
      full[i] = full[i] == null ? "" : full[i];
    }
    rows.add(List.of(full));
    return this;
  }

  /** Returns the rows added so far. */
  public List<List<String>> rows() {
    return List.copyOf(rows);
  }

  /** Returns the table as aligned text: header, a rule, the rows; columns two spaces apart. */
  public String render() {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, headers, width);
    List<String> rule = new ArrayList<>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    line(sb, rule, width);
    for (List<String> r : rows) {
      line(sb, r, width);
    }
    return sb.toString();
  }

  /** Returns the table as GitHub Markdown. */
  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", escaped(headers))).append(" |\n|");
    for (boolean r : right) {
      sb.append(r ? "---:|" : "---|");
    }
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append("| ").append(String.join(" | ", escaped(r))).append(" |\n");
    }
    return sb.toString();
  }

  private void line(StringBuilder sb, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String s = cells.get(c);
      String pad = " ".repeat(width[c] - s.length());
      l.append(c == 0 ? "" : "  ").append(right[c] ? pad + s : s + pad);
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  private static List<String> escaped(List<String> cells) {
    return cells.stream().map(s -> s.replace("|", "\\|")).toList();
  }
}

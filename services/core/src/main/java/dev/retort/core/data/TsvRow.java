package dev.retort.core.data;

/**
 * One row of a tab-separated file.
 *
 * @param file the file name, for error messages
 * @param line the 1-based line number
 * @param cells the cells, split on every tab (no quote character)
 */
record TsvRow(String file, int line, String[] cells) {
  /** Returns {@code file:line}. */
  String where() {
    return file + ":" + line;
  }

  /**
   * Returns a cell by Python-style index: negative indices count from the end.
   *
   * @param index the index
   * @return the cell
   */
  String cell(int index) {
    return cells[index >= 0 ? index : cells.length + index];
  }
}

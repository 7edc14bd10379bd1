package dev.retort.core.distill.emd;

/**
 * Vogel's approximation method as a starting basis for the transportation simplex; a reusable,
 * single-threaded workspace. See {@link StartingBasis} for why the cells form a spanning tree.
 */
final class VogelBasis {

  private int capM;
  private int capN;
  private int[] rowOrder; // [M·N] row i's columns by increasing cost, at i·N ..
  private int[] colOrder; // [N·M] column j's rows by increasing cost, at j·M ..
  private int[] rowFirst; // [M] position in rowOrder of row i's cheapest active column
  private int[] colFirst; // [N]
  private double[] rowPenalty; // [M]
  private double[] colPenalty; // [N]
  private boolean[] rowDone; // [M]
  private boolean[] colDone; // [N]

  /**
   * Writes Vogel's approximation basis into {@code rows, cols} (cell k is {@code (rows[k],
   * cols[k])}).
   *
   * <p>Each step picks the active line with the largest penalty (second-smallest minus smallest
   * active cost; ties go to the smaller minimum cost, then to rows, then to the lower index) and
   * allocates to its cheapest active cell. Every line's cells are sorted by cost once, so a penalty
   * is updated by skipping eliminated entries instead of rescanning the line.
   *
   * @param cost row-major costs, {@code [M·N]}
   * @param s supplies, {@code [M]}; overwritten with residuals
   * @param d demands, {@code [N]}; overwritten with residuals
   * @param rows output rows, at least {@code M+N−1} long
   * @param cols output columns, at least {@code M+N−1} long
   * @param leaves output, the node each cell eliminates (see {@link BasisTree#build})
   */
  void build(
      int m, int n, double[] cost, double[] s, double[] d, int[] rows, int[] cols, int[] leaves) {
    ensureCapacity(m, n);
    for (int i = 0; i < m; i++) {
      sortLine(rowOrder, i * n, n, cost, i * n, 1);
      rowFirst[i] = i * n;
      rowDone[i] = false;
    }
    for (int j = 0; j < n; j++) {
      sortLine(colOrder, j * m, m, cost, j, n);
      colFirst[j] = j * m;
      colDone[j] = false;
    }
    int rowsLeft = m;
    int colsLeft = n;
    int k = 0;
    boolean rowsStale = true;
    boolean colsStale = true;
    while (rowsLeft > 1 && colsLeft > 1) {
      if (rowsStale) { // a column went: row penalties may change
        for (int i = 0; i < m; i++) {
          if (!rowDone[i]) {
            rowPenalty[i] = penalty(rowOrder, rowFirst, i, colDone, cost, i * n, 1);
          }
        }
      }
      if (colsStale) { // a row went: column penalties may change
        for (int j = 0; j < n; j++) {
          if (!colDone[j]) {
            colPenalty[j] = penalty(colOrder, colFirst, j, rowDone, cost, j, n);
          }
        }
      }
      double bestPenalty = Double.NEGATIVE_INFINITY;
      double bestMin = Double.POSITIVE_INFINITY;
      int bestRow = -1;
      int bestCol = -1;
      boolean bestIsRow = false;
      for (int i = 0; i < m; i++) {
        if (!rowDone[i]) {
          int j = rowOrder[rowFirst[i]];
          double c = cost[i * n + j];
          double p = rowPenalty[i];
          if (p > bestPenalty || (p == bestPenalty && c < bestMin)) {
            bestPenalty = p;
            bestMin = c;
            bestRow = i;
            bestCol = j;
            bestIsRow = true;
          }
        }
      }
      for (int j = 0; j < n; j++) {
        if (!colDone[j]) {
          int i = colOrder[colFirst[j]];
          double c = cost[i * n + j];
          double p = colPenalty[j];
          if (p > bestPenalty || (p == bestPenalty && c < bestMin)) {
            bestPenalty = p;
            bestMin = c;
            bestRow = i;
            bestCol = j;
            bestIsRow = false;
          }
        }
      }
      int i = bestRow;
      int j = bestCol;
      rows[k] = i;
      cols[k] = j;
      boolean dropRow = s[i] < d[j] || (s[i] == d[j] && bestIsRow);
      leaves[k++] = dropRow ? i : m + j;
      if (dropRow) {
        d[j] -= s[i];
        s[i] = 0;
        rowDone[i] = true;
        rowsLeft--;
      } else {
        s[i] -= d[j];
        d[j] = 0;
        colDone[j] = true;
        colsLeft--;
      }
      rowsStale = !dropRow;
      colsStale = dropRow;
    }
    // One row (or one column) is left: it is joined to every remaining line, and is the root.
    for (int i = 0; i < m; i++) {
      if (rowDone[i]) {
        continue;
      }
      for (int j = 0; j < n; j++) {
        if (!colDone[j]) {
          rows[k] = i;
          cols[k] = j;
          leaves[k++] = rowsLeft == 1 ? m + j : i;
        }
      }
    }
  }

  /**
   * Returns the penalty of line {@code line}: its second-cheapest active cost minus its cheapest,
   * first moving {@code first[line]} past entries whose crossing line is done. The line has at
   * least two active entries whenever this is called.
   */
  private static double penalty(
      int[] order, int[] first, int line, boolean[] done, double[] cost, int base, int stride) {
    int p = first[line];
    while (done[order[p]]) {
      p++;
    }
    first[line] = p;
    int q = p + 1;
    while (done[order[q]]) {
      q++;
    }
    return cost[base + order[q] * stride] - cost[base + order[p] * stride];
  }

  /**
   * Writes {@code 0..len−1} into {@code order[off..]} sorted by {@code cost[base + k·stride]}, by a
   * stable insertion sort (lines are at most a few dozen long).
   */
  private static void sortLine(int[] order, int off, int len, double[] cost, int base, int stride) {
    for (int k = 0; k < len; k++) {
      double key = cost[base + k * stride];
      int p = off + k;
      while (p > off && cost[base + order[p - 1] * stride] > key) {
        order[p] = order[p - 1];
        p--;
      }
      order[p] = k;
    }
  }

  private void ensureCapacity(int m, int n) {
    if (m > capM || n > capN) {
      capM = Math.max(m, capM);
      capN = Math.max(n, capN);
      rowOrder = new int[capM * capN];
      colOrder = new int[capM * capN];
      rowFirst = new int[capM];
      colFirst = new int[capN];
      rowPenalty = new double[capM];
      colPenalty = new double[capN];
      rowDone = new boolean[capM];
      colDone = new boolean[capN];
    }
  }
}

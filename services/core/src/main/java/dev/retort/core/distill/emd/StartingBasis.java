package dev.retort.core.distill.emd;

import java.util.Arrays;

/**
 * Starting bases for the transportation simplex: M+N−1 cells that form a spanning tree of the
 * bipartite row/column graph; a reusable, single-threaded workspace.
 *
 * <p>Every rule (north-west corner and column minimum here, Vogel in {@link VogelBasis}) eliminates
 * exactly one line (row or column) per allocation until a single row or a single column is left,
 * whose remaining cells all become basic. Read backwards, every allocation attaches the line it
 * eliminates as a leaf to the lines still active, so the cells always form a spanning tree, even
 * when a supply and a demand run out together (the degenerate case: the line that stays active
 * carries a zero residual and later gets a zero-flow basic cell). The flows of the tree are
 * set by {@link BasisTree#build} from the masses; each rule reports the cells and, for each, the
 * line it eliminated (its leaf), from which the tree is built without a search.
 */
final class StartingBasis {

  private int[] sequence = new int[0]; // [N] columns in decreasing regret
  private double[] regret = new double[0]; // [N] regret of sequence[t], decreasing
  private int[] argMin = new int[0]; // [N] row of the smallest cost of each column
  private boolean[] rowDone = new boolean[0]; // [M]

  /**
   * Writes the north-west-corner basis into {@code rows, cols} (cell k is {@code (rows[k],
   * cols[k])}).
   *
   * @param s supplies, {@code [M]}; overwritten with residuals
   * @param d demands, {@code [N]}; overwritten with residuals
   * @param rows output rows, at least {@code M+N−1} long
   * @param cols output columns, at least {@code M+N−1} long
   * @param leaves output, the node each cell eliminates (see {@link BasisTree#build})
   */
  static void northWest(
      int m, int n, double[] s, double[] d, int[] rows, int[] cols, int[] leaves) {
    int i = 0;
    int j = 0;
    int k = 0;
    while (true) {
      rows[k] = i;
      cols[k] = j;
      if (i == m - 1 && j == n - 1) {
        leaves[k] = m + j; // the last row is the root
        return;
      }
      if (i == m - 1) {
        leaves[k++] = m + j++; // the last row takes every remaining column
      } else if (j == n - 1) {
        leaves[k++] = i++; // the last column takes every remaining row
      } else if (s[i] < d[j]) {
        d[j] -= s[i];
        s[i] = 0;
        leaves[k++] = i++;
      } else {
        // On a tie the row stays active with a zero residual: a degenerate basic cell follows.
        s[i] -= d[j];
        d[j] = 0;
        leaves[k++] = m + j++;
      }
    }
  }

  /**
   * Writes the column-minimum basis into {@code rows, cols} (cell k is {@code (rows[k],
   * cols[k])}).
   *
   * <p>Columns are taken in decreasing order of their regret (second-smallest minus smallest cost
   * over all rows, computed once; ties keep index order) and each is filled from its cheapest rows
   * that still have supply. This keeps most of Vogel's quality, because the columns that lose most
   * by a bad row choice go first, at O(M·N + N²) instead of O((M+N)·M·N).
   *
   * @param cost row-major costs, {@code [M·N]}
   * @param s supplies, {@code [M]}; overwritten with residuals
   * @param d demands, {@code [N]}; overwritten with residuals
   * @param rows output rows, at least {@code M+N−1} long
   * @param cols output columns, at least {@code M+N−1} long
   * @param leaves output, the node each cell eliminates (see {@link BasisTree#build})
   */
  void columnMinimum(
      int m, int n, double[] cost, double[] s, double[] d, int[] rows, int[] cols, int[] leaves) {
    if (sequence.length < n) {
      sequence = new int[n];
      regret = new double[n];
      argMin = new int[n];
    }
    if (rowDone.length < m) {
      rowDone = new boolean[m];
    }
    regretOrder(m, n, cost);
    Arrays.fill(rowDone, 0, m, false);
    int rowsLeft = m;
    int k = 0;
    for (int t = 0; t < n; t++) {
      int j = sequence[t];
      boolean lastColumn = t == n - 1;
      while (true) {
        // The column's cheapest row overall is the answer until that row runs out of supply.
        int i = argMin[j];
        if (rowDone[i]) {
          i = cheapestActiveRow(m, n, cost, j);
        }
        rows[k] = i;
        cols[k] = j;
        if (lastColumn && rowsLeft == 1) {
          leaves[k] = m + j; // the last row is the root
          return;
        }
        // The last column takes every remaining row; a single remaining row takes every column.
        if (lastColumn || (rowsLeft > 1 && s[i] < d[j])) {
          d[j] -= s[i];
          s[i] = 0;
          rowDone[i] = true;
          rowsLeft--;
          leaves[k++] = i;
        } else {
          // On a tie the row stays active with a zero residual: a degenerate basic cell follows.
          s[i] -= d[j];
          d[j] = 0;
          leaves[k++] = m + j;
          break;
        }
      }
    }
  }

  /**
   * Finds each column's cheapest row ({@code argMin}) and regret (second-smallest minus smallest
   * cost; ties go to the lowest row, like a column scan) and inserts the column into {@code
   * sequence}, kept in decreasing order of regret ({@code regret[t]} is the regret of {@code
   * sequence[t]}; equal regrets keep index order). The scan of a column keeps its two minima in
   * registers, so the only stores are the column's own results.
   */
  private void regretOrder(int m, int n, double[] cost) {
    for (int j = 0; j < n; j++) {
      double lo = cost[j];
      double hi = Double.POSITIVE_INFINITY;
      int arg = 0;
      for (int i = 1, c = n + j; i < m; i++, c += n) {
        double v = cost[c];
        if (v < lo) {
          hi = lo;
          lo = v;
          arg = i;
        } else if (v < hi) {
          hi = v;
        }
      }
      argMin[j] = arg;
      double r = m > 1 ? hi - lo : 0;
      int t = j;
      while (t > 0 && regret[t - 1] < r) {
        regret[t] = regret[t - 1];
        sequence[t] = sequence[t - 1];
        t--;
      }
      regret[t] = r;
      sequence[t] = j;
    }
  }

  /** Returns the cheapest row of column {@code j} that still has supply (lowest row on ties). */
  private int cheapestActiveRow(int m, int n, double[] cost, int j) {
    int i = -1;
    double best = Double.POSITIVE_INFINITY;
    for (int r = 0; r < m; r++) {
      if (!rowDone[r] && (i < 0 || cost[r * n + j] < best)) {
        best = cost[r * n + j];
        i = r;
      }
    }
    return i;
  }
}

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
 * recomputed by {@link TransportSimplex}; only the cells matter here.
 */
final class StartingBasis {

  private int[] sequence = new int[0]; // [N] columns in decreasing regret
  private double[] regret = new double[0]; // [N]
  private boolean[] rowDone = new boolean[0]; // [M]

  /**
   * Writes the north-west-corner basis into {@code cells} (row-major indices {@code i·N + j}).
   *
   * @param s supplies, {@code [M]}; overwritten with residuals
   * @param d demands, {@code [N]}; overwritten with residuals
   * @param cells output, at least {@code M+N−1} long
   */
  static void northWest(int m, int n, double[] s, double[] d, int[] cells) {
    int i = 0;
    int j = 0;
    int k = 0;
    while (true) {
      cells[k++] = i * n + j;
      if (i == m - 1 && j == n - 1) {
        return;
      }
      if (i == m - 1) {
        j++; // the last row takes every remaining column
      } else if (j == n - 1) {
        i++; // the last column takes every remaining row
      } else if (s[i] < d[j]) {
        d[j] -= s[i];
        s[i] = 0;
        i++;
      } else {
        // On a tie the row stays active with a zero residual: a degenerate basic cell follows.
        s[i] -= d[j];
        d[j] = 0;
        j++;
      }
    }
  }

  /**
   * Writes the column-minimum basis into {@code cells} (row-major indices {@code i·N + j}).
   *
   * <p>Columns are taken in decreasing order of their regret (second-smallest minus smallest cost
   * over all rows, computed once; ties keep index order) and each is filled from its cheapest rows
   * that still have supply. This keeps most of Vogel's quality, because the columns that lose most
   * by a bad row choice go first, at O(M·N + N²) instead of O((M+N)·M·N).
   *
   * @param cost row-major costs, {@code [M·N]}
   * @param s supplies, {@code [M]}; overwritten with residuals
   * @param d demands, {@code [N]}; overwritten with residuals
   * @param cells output, at least {@code M+N−1} long
   */
  void columnMinimum(int m, int n, double[] cost, double[] s, double[] d, int[] cells) {
    if (sequence.length < n) {
      sequence = new int[n];
      regret = new double[n];
    }
    if (rowDone.length < m) {
      rowDone = new boolean[m];
    }
    for (int j = 0; j < n; j++) {
      double min1 = Double.POSITIVE_INFINITY;
      double min2 = Double.POSITIVE_INFINITY;
      for (int c = j, end = m * n; c < end; c += n) {
        double v = cost[c];
        if (v < min1) {
          min2 = min1;
          min1 = v;
        } else if (v < min2) {
          min2 = v;
        }
      }
      double r = m > 1 ? min2 - min1 : 0;
      regret[j] = r;
      int p = j;
      while (p > 0 && regret[sequence[p - 1]] < r) {
        sequence[p] = sequence[p - 1];
        p--;
      }
      sequence[p] = j;
    }
    Arrays.fill(rowDone, 0, m, false);
    int rowsLeft = m;
    int k = 0;
    for (int t = 0; t < n; t++) {
      int j = sequence[t];
      boolean lastColumn = t == n - 1;
      while (true) {
        int i = -1;
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < m; r++) {
          if (!rowDone[r] && (i < 0 || cost[r * n + j] < best)) {
            best = cost[r * n + j];
            i = r;
          }
        }
        cells[k++] = i * n + j;
        if (lastColumn && rowsLeft == 1) {
          return;
        }
        // The last column takes every remaining row; a single remaining row takes every column.
        if (lastColumn || (rowsLeft > 1 && s[i] < d[j])) {
          d[j] -= s[i];
          s[i] = 0;
          rowDone[i] = true;
          rowsLeft--;
        } else {
          // On a tie the row stays active with a zero residual: a degenerate basic cell follows.
          s[i] -= d[j];
          d[j] = 0;
          break;
        }
      }
    }
  }
}

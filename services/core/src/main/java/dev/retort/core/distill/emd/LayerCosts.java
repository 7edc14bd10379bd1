package dev.retort.core.distill.emd;

/**
 * The cost each layer ships in one EMD: {@code c^S_i = Σ_j F_ij · d_ij} (row sums) and {@code c^T_j
 * = Σ_i F_ij · d_ij} (column sums).
 *
 * <p>The official code sums rows of the padded {@code (M+N)×(M+N)} products with {@code np.sum}, so
 * a student row is {@code [0 × M, F_i0·d_i0, …]} and a teacher row {@code [F_0j·d_0j, …, 0 × N]};
 * the sums here use the same padding and numpy's pairwise order, so they match bit for bit.
 *
 * @param student {@code c^S}, {@code [M]}
 * @param teacher {@code c^T}, {@code [N]}
 */
record LayerCosts(double[] student, double[] teacher) {

  /**
   * Computes the shipped costs of one EMD.
   *
   * @param name the EMD's name for error messages
   * @param flow F, {@code [M][N]}
   * @param distance D, {@code [M][N]}
   * @param safe whether to reject negative or non-finite entries
   * @throws IllegalArgumentException on a shape mismatch or, when {@code safe}, a bad entry
   */
  static LayerCosts of(
      String name, double[][] flow, double[][] distance, int m, int n, boolean safe) {
    checkShape(name + " flow", flow, m, n);
    checkShape(name + " distance", distance, m, n);
    double[] product = new double[m * n]; // [M·N] row-major F ⊙ D
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double f = flow[i][j];
        double d = distance[i][j];
        if (safe
            && !(f >= 0
                && d >= 0
                && f < Double.POSITIVE_INFINITY
                && d < Double.POSITIVE_INFINITY)) {
          throw new IllegalArgumentException(
              String.format(
                  "%s: F[%d][%d] = %s and D[%d][%d] = %s; both must be finite and >= 0",
                  name, i, j, f, i, j, d));
        }
        product[i * n + j] = f * d;
      }
    }
    double[] padded = new double[m + n];
    double[] student = new double[m];
    for (int i = 0; i < m; i++) {
      java.util.Arrays.fill(padded, 0, m, 0.0);
      System.arraycopy(product, i * n, padded, m, n);
      student[i] = NumpyMath.sum(padded, 0, m + n);
    }
    double[] teacher = new double[n];
    java.util.Arrays.fill(padded, 0.0);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        padded[i] = product[i * n + j];
      }
      teacher[j] = NumpyMath.sum(padded, 0, m + n);
    }
    return new LayerCosts(student, teacher);
  }

  private static void checkShape(String what, double[][] a, int m, int n) {
    if (a.length != m) {
      throw new IllegalArgumentException(what + " has " + a.length + " rows, expected " + m);
    }
    for (int i = 0; i < m; i++) {
      if (a[i] == null || a[i].length != n) {
        throw new IllegalArgumentException(
            what
                + " row "
                + i
                + " has "
                + (a[i] == null ? 0 : a[i].length)
                + " entries, expected "
                + n);
      }
    }
  }
}

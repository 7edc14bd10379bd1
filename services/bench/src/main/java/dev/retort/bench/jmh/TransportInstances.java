package dev.retort.bench.jmh;

import java.util.Random;

/**
 * Random balanced transport problems of BERT-EMD's size (a 4-layer student, a 12-layer teacher):
 * positive supplies and demands that each sum to 1, costs uniform in {@code [0, 1)}.
 *
 * @param supplies a per instance, {@code [K][M]}
 * @param demands b per instance, {@code [K][N]}
 * @param costs d per instance, {@code [K][M][N]}
 */
public record TransportInstances(double[][] supplies, double[][] demands, double[][][] costs) {

  /**
   * Generates instances.
   *
   * @param count K
   * @param m M supplies
   * @param n N demands
   * @param seed the seed
   * @return the instances
   */
  public static TransportInstances random(int count, int m, int n, long seed) {
    Random r = new Random(seed);
    double[][] a = new double[count][];
    double[][] b = new double[count][];
    double[][][] d = new double[count][m][n];
    for (int k = 0; k < count; k++) {
      a[k] = normalised(r, m);
      b[k] = normalised(r, n);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          d[k][i][j] = r.nextDouble();
        }
      }
    }
    return new TransportInstances(a, b, d);
  }

  /** Returns K. */
  public int size() {
    return supplies.length;
  }

  /** Returns the cost {@code Σ_ij F_ij · d_ij} of a plan on instance {@code k}. */
  public double cost(int k, double[][] flow) {
    double c = 0;
    for (int i = 0; i < flow.length; i++) {
      for (int j = 0; j < flow[i].length; j++) {
        c += flow[i][j] * costs[k][i][j];
      }
    }
    return c;
  }

  private static double[] normalised(Random r, int k) {
    double[] w = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      w[i] = 0.05 + r.nextDouble();
      sum += w[i];
    }
    for (int i = 0; i < k; i++) {
      w[i] /= sum;
    }
    return w;
  }
}

package dev.retort.bench.compute;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.retort.core.engine.Torch;

/**
 * Times one reference matmul at a time, so that a figure can take a matmul right after each of its
 * own repetitions: on a shared machine whose load drifts, the pairs see the same load, and the
 * median of the paired ratios is steadier than a ratio of two medians taken minutes apart.
 */
public final class MatmulSampler implements AutoCloseable {
  private final NDManager manager;
  private final NDArray a;
  private final NDArray b;
  private final int n;

  /**
   * Allocates the two random {@code n×n} fp32 operands.
   *
   * @param n the size
   */
  public MatmulSampler(int n) {
    this.n = n;
    manager = NDManager.newBaseManager();
    Torch.seed(1);
    a = manager.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32);
    b = manager.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32);
    a.matMul(b).close(); // first-touch and thread-pool start-up outside the timings
  }

  /** Returns the FLOPs of one product, {@code 2n³}. */
  public double flops() {
    return FlopCount.matmul(n);
  }

  /** Times one product and returns its seconds. */
  public double sample() {
    long t0 = System.nanoTime();
    NDArray c = a.matMul(b);
    double s = (System.nanoTime() - t0) / 1e9;
    c.close();
    return s;
  }

  /**
   * Returns the median over the pairs of {@code (work / seconds_i) / (2n³ / matmul_i)}.
   *
   * @param work the FLOPs of one repetition of the figure's work
   * @param seconds each repetition's time
   * @param matmul the matmul time taken right after it
   * @return the paired efficiency
   */
  public static double pairedRatio(
      double work, double[] seconds, double matmulFlops, double[] matmul) {
    if (seconds.length != matmul.length || seconds.length == 0) {
      throw new IllegalArgumentException("need one matmul per repetition");
    }
    double[] r = new double[seconds.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (work / seconds[i]) / (matmulFlops / matmul[i]);
    }
    return Stats.median(r);
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    manager.close();
  }
}

package dev.retort.bench.compute;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.retort.core.engine.Torch;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The denominator of the efficiency figures: the FLOP/s the engine reaches on a plain large fp32
 * matmul ({@code NDArray.matMul}, PyTorch's {@code mm} and its BLAS underneath), measured in the
 * same process and run as the figures it divides.
 */
public final class MatmulReference {
  private MatmulReference() {}

  /**
   * The measurement.
   *
   * @param n the matrices are {@code n×n}
   * @param flops FLOPs of one product, {@code 2n³}
   * @param seconds each timed product
   * @param medianSeconds their median
   * @param flopsPerSecond {@code flops / medianSeconds}
   */
  public record Result(
      int n, double flops, double[] seconds, double medianSeconds, double flopsPerSecond) {
    /** Returns the numbers as JSON fields. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shape", "[" + n + ", " + n + "] x [" + n + ", " + n + "] fp32");
      m.put("flops", flops);
      m.put("repetitions", seconds.length);
      m.put("seconds", Stats.round(seconds, 4));
      m.put("median_seconds", medianSeconds);
      m.put("flops_per_second", flopsPerSecond);
      return m;
    }
  }

  /**
   * Times {@code repetitions} products after {@code warmup} untimed ones.
   *
   * @param n the size
   * @param warmup untimed products
   * @param repetitions timed products
   * @return the timings
   */
  public static Result measure(int n, int warmup, int repetitions) {
    if (n < 1 || repetitions < 1 || warmup < 0) {
      throw new IllegalArgumentException("need n >= 1, repetitions >= 1 and warmup >= 0");
    }
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      Torch.seed(1);
      NDArray a = m.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32);
      NDArray b = m.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32);
      for (int i = 0; i < warmup; i++) {
        a.matMul(b).close();
      }
      double[] seconds = new double[repetitions];
      for (int i = 0; i < repetitions; i++) {
        long t0 = System.nanoTime();
        NDArray c = a.matMul(b); // PyTorch runs CPU ops eagerly: the product is done on return
        seconds[i] = (System.nanoTime() - t0) / 1e9;
        c.close();
      }
      double median = Stats.median(seconds);
      double flops = FlopCount.matmul(n);
      return new Result(n, flops, seconds, median, flops / median);
    }
  }
}

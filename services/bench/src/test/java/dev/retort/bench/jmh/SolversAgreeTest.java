package dev.retort.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.retort.core.distill.emd.TransportSolver;
import org.junit.jupiter.api.Test;

class SolversAgreeTest {

  @Test
  void simplexReferenceSolvesAHandWorkedInstance() {
    // x11 = 0.5 − t, x12 = 0.1 + t, x21 = t, x22 = 0.4 − t: cost 1.1 + 3t, least at t = 0.
    double c =
        SimplexReference.optimum(
            new double[] {0.6, 0.4}, new double[] {0.5, 0.5}, new double[][] {{1, 2}, {3, 1}});
    assertThat(c).isCloseTo(1.1, within(1e-12));
  }

  @Test
  void bothSolversReachTheSameOptimumOnTheBenchmarkInstances() {
    TransportInstances inst =
        TransportInstances.random(
            TransportSolverBenchmark.INSTANCES, 4, 12, TransportSolverBenchmark.SEED);
    assertThat(TransportSolverBenchmark.worstDifference(inst, TransportSolver.create()))
        .isLessThanOrEqualTo(TransportSolverBenchmark.TOLERANCE);
  }

  @Test
  void instancesAreBalancedAndSeeded() {
    TransportInstances a = TransportInstances.random(3, 4, 12, 1);
    TransportInstances b = TransportInstances.random(3, 4, 12, 1);
    assertThat(a.costs()[2][3][11]).isEqualTo(b.costs()[2][3][11]);
    for (int k = 0; k < 3; k++) {
      assertThat(java.util.Arrays.stream(a.supplies()[k]).sum()).isCloseTo(1, within(1e-12));
      assertThat(java.util.Arrays.stream(a.demands()[k]).sum()).isCloseTo(1, within(1e-12));
    }
  }

  @Test
  void throughputIsBytesOverMicroseconds() {
    JmhScore s =
        new JmhScore("TensorCodecBenchmark.encode", java.util.Map.of(), 2000, 1, "us/op", 5);
    assertThat(CodecFigure.gbPerSecond(4_000_000, s)).isCloseTo(2.0, within(1e-12));
  }
}

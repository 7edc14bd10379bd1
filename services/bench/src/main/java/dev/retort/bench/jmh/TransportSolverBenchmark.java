package dev.retort.bench.jmh;

import dev.retort.core.distill.emd.TransportSolver;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One 4×12 transport solve: retort's {@link TransportSolver} against commons-math's general {@code
 * SimplexSolver}, on the same {@value #INSTANCES} random instances, visited in turn. The set-up
 * checks that both reach the same optimum on every instance (relative difference at most {@value
 * #TOLERANCE}) and fails the benchmark otherwise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TransportSolverBenchmark {
  /** Instances per benchmark. */
  public static final int INSTANCES = 64;

  /** Largest relative optimum difference accepted as identical. */
  public static final double TOLERANCE = 1e-9;

  /** The instances' seed. */
  public static final long SEED = 20_201_116L;

  private TransportInstances instances;
  private TransportSolver solver;
  private int next;

  /** Generates the instances and checks that both solvers agree on each. */
  @Setup(Level.Trial)
  public void setUp() {
    instances = TransportInstances.random(INSTANCES, 4, 12, SEED);
    solver = TransportSolver.create();
    double worst = worstDifference(instances, solver);
    if (!(worst <= TOLERANCE)) {
      throw new IllegalStateException(
          "the solvers disagree: relative optimum difference " + worst + " > " + TOLERANCE);
    }
  }

  /**
   * Returns the largest relative difference between the two solvers' optima over the instances.
   *
   * @param inst the instances
   * @param solver retort's solver
   * @return {@code max_k |c_retort − c_simplex| / max(|c_simplex|, 1e-12)}
   */
  public static double worstDifference(TransportInstances inst, TransportSolver solver) {
    double worst = 0;
    for (int k = 0; k < inst.size(); k++) {
      double ours =
          inst.cost(k, solver.solve(inst.supplies()[k], inst.demands()[k], inst.costs()[k]).flow());
      double lp = SimplexReference.optimum(inst.supplies()[k], inst.demands()[k], inst.costs()[k]);
      worst = Math.max(worst, Math.abs(ours - lp) / Math.max(Math.abs(lp), 1e-12));
    }
    return worst;
  }

  /** Solves the next instance with retort's transport simplex. */
  @Benchmark
  public void transportSolver(Blackhole bh) {
    int k = next++ & (INSTANCES - 1);
    bh.consume(solver.solve(instances.supplies()[k], instances.demands()[k], instances.costs()[k]));
  }

  /** Solves the next instance with commons-math's simplex. */
  @Benchmark
  public double simplexSolver() {
    int k = next++ & (INSTANCES - 1);
    return SimplexReference.optimum(
        instances.supplies()[k], instances.demands()[k], instances.costs()[k]);
  }
}

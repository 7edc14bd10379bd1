package dev.retort.bench.jmh;

import dev.retort.bench.BenchSettings.JmhShape;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs JMH benchmarks through JMH's {@link Runner} API and returns their scores.
 *
 * <p>Forks: with {@code forks = 0} (quick mode) the benchmarks run in this JVM, which is fast and
 * needs no class path, but lets the benchmarks share one JIT profile. With {@code forks ≥ 1} (the
 * full run) JMH starts a fresh JVM per benchmark with this JVM's {@code java.class.path} and input
 * arguments; started as {@code java -jar retort-cli.jar}, the class path is the CLI jar, whose
 * manifest {@code Class-Path} lists every dependency in {@code target/lib}, so the forked JVM finds
 * the benchmarks ({@code META-INF/BenchmarkList} of the retort-bench jar) and the code under test.
 * JMH's human-readable output goes to a log file.
 */
public final class JmhRunner {
  private JmhRunner() {}

  /**
   * Runs every benchmark of the given classes.
   *
   * @param classes the benchmark classes
   * @param shape forks and iterations
   * @param log where JMH's own output goes
   * @return one score per benchmark method and parameter combination
   * @throws RunnerException if a benchmark fails (for example the solver check in its set-up)
   * @throws IOException if the log cannot be written
   */
  public static List<JmhScore> run(List<Class<?>> classes, JmhShape shape, Path log)
      throws RunnerException, IOException {
    // JMH takes a machine-wide lock file so that two runs do not disturb each other; the bench
    // runs its own benchmarks one after another and must not fail because of an unrelated run.
    System.setProperty("jmh.ignoreLock", "true");
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .forks(shape.forks())
            .warmupIterations(shape.warmupIterations())
            .warmupTime(TimeValue.milliseconds(shape.warmupMillis()))
            .measurementIterations(shape.iterations())
            .measurementTime(TimeValue.milliseconds(shape.iterationMillis()))
            .timeUnit(TimeUnit.MICROSECONDS)
            .shouldFailOnError(true)
            .verbosity(VerboseMode.NORMAL);
    for (Class<?> c : classes) {
      o.include("^" + java.util.regex.Pattern.quote(c.getName()) + "\\.");
    }
    Files.createDirectories(log.toAbsolutePath().getParent());
    try (PrintStream out =
        new PrintStream(new FileOutputStream(log.toFile()), true, StandardCharsets.UTF_8)) {
      Collection<RunResult> results =
          new Runner(o.build(), OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL))
              .run();
      List<JmhScore> scores = new ArrayList<>();
      for (RunResult r : results) {
        scores.add(score(r));
      }
      return scores;
    }
  }

  private static JmhScore score(RunResult r) {
    var p = r.getParams();
    String full = p.getBenchmark();
    int dot = full.lastIndexOf('.');
    String cls = full.substring(0, dot);
    String name = cls.substring(cls.lastIndexOf('.') + 1) + full.substring(dot);
    Map<String, String> params = new HashMap<>();
    for (String k : p.getParamsKeys()) {
      params.put(k, p.getParam(k));
    }
    var primary = r.getPrimaryResult();
    return new JmhScore(
        name,
        params,
        primary.getScore(),
        primary.getScoreError(),
        primary.getScoreUnit(),
        primary.getSampleCount());
  }

  /**
   * Finds a score.
   *
   * @param scores the scores
   * @param benchmark {@code Class.method}
   * @param params the parameters it must have
   * @return the score
   * @throws IllegalStateException if there is none
   */
  public static JmhScore find(List<JmhScore> scores, String benchmark, Map<String, String> params) {
    return scores.stream()
        .filter(
            s ->
                s.benchmark().equals(benchmark)
                    && s.params().entrySet().containsAll(params.entrySet()))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no JMH result for " + benchmark + " " + params));
  }
}

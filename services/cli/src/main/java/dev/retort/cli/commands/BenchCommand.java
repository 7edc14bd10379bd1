package dev.retort.cli.commands;

import dev.retort.bench.BenchReport;
import dev.retort.bench.BenchSettings;
import dev.retort.bench.BenchSuite;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import dev.retort.cli.ExitCodes;
import dev.retort.cli.TextTable;
import dev.retort.cli.platform.BenchPlatform;
import dev.retort.cli.platform.Home;
import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code retort bench}: measures the figures side by side in one run and prints each as a
 * ratio in a table (figure, measured, target, reached?) and, with {@code --json}, as JSON with
 * every input, repetition and median.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures retort's performance figures side by side in one run, as ratios.",
      "",
      "Step and teacher efficiency (FLOP/s against a plain fp32 matmul timed in the same run),"
          + " where the step time goes, platform overhead and knowledge reuse (need the services"
          + " built), wire size at the same loss, EMD solve time against commons-math's simplex"
          + " (JMH), trainer memory, and the tensor codec (JMH).",
      "",
      "Figures: matmul, step-efficiency, step-split, teacher-efficiency, platform-overhead,"
          + " knowledge-reuse, wire-size, emd-solve, memory, codec. A missed target is reported,"
          + " not an error; the exit code is 1 only if a figure could not be measured."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--quick",
      description =
          "Tiny shapes and few repetitions (under a minute); the platform figures only with"
              + " --only.")
  private boolean quick;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the report as JSON ('-' for standard output).")
  private String json;

  @Option(
      names = "--only",
      paramLabel = "FIGURE",
      split = ",",
      description = "Measure only these figures (comma-separated).")
  private List<String> only = new ArrayList<>();

  @Option(
      names = "--steps",
      paramLabel = "N",
      description =
          "Steps of the memory figure after warm-up (default 120, quick 12; the full check is"
              + " 10000).")
  private Long steps;

  @Option(
      names = "--repetitions",
      paramLabel = "N",
      description = "Timed repetitions of the matmul, step and teacher figures.")
  private Integer repetitions;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Where sample data, logs and platform state go (default <repo>/.retort/bench).")
  private Path work;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Seed of weights, batches and instances (default ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--python",
      paramLabel = "PATH",
      description = "A Python with torch and transformers: the torch-comparison figure runs the same step with"
          + " them (default: the environment variable RETORT_PYTHON; without one that figure is skipped).")
  private Path python;

  @Option(
      names = "--trainers",
      paramLabel = "N",
      defaultValue = "1",
      description = "Trainer replicas of the platform figures' platform (default ${DEFAULT-VALUE}; on two"
          + " cores a second replica oversubscribes them while the teacher computes).")
  private int trainers;

  @Mixin private PlatformSizingMixin sizing;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<FigureId> figures = only.stream().map(FigureId::parse).toList();
    BenchSettings.Builder b =
        BenchSettings.builder()
            .setWorkDir(work != null ? work : Home.root().resolve(".retort").resolve("bench"))
            .optQuick(quick)
            .optOnly(figures)
            .optSeed(seed);
    String envPython = System.getenv("RETORT_PYTHON");
    Path py = python != null ? python : envPython == null || envPython.isBlank() ? null : Path.of(envPython);
    if (py != null) {
      if (!Files.isRegularFile(py) || !Files.isExecutable(py)) {
        throw new RetortException(
            (python != null ? "--python " : "RETORT_PYTHON=") + py,
            "is not an executable file",
            "Give the Python of an environment with torch and transformers, e.g. .venv/bin/python");
      }
      b.optPython(py.toAbsolutePath().normalize());
    }
    if (steps != null) {
      if (steps < 1) {
        throw new RetortException(
            "--steps " + steps,
            "must be at least 1",
            "Give the number of memory steps, e.g. --steps 10000");
      }
      b.optMemorySteps(steps);
    }
    if (repetitions != null) {
      if (repetitions < 1) {
        throw new RetortException(
            "--repetitions " + repetitions,
            "must be at least 1",
            "Give the timed repetitions, e.g. --repetitions 5");
      }
      b.optRepetitions(repetitions);
    }
    Map<String, Integer> serviceThreads = sizing.serviceThreads();
    int teacherWorkers = sizing.teacherWorkers();
    BenchSettings settings = b.build();
    Files.createDirectories(settings.workDir());
    BenchReport report;
    try (BenchPlatform platform = new BenchPlatform(
        Home.root(), settings.workDir(), Math.max(1, trainers), serviceThreads, teacherWorkers)) {
      report = BenchSuite.run(settings, platform, line -> err.println("bench: " + line));
    }
    print(report, out);
    if (json != null) {
      if (json.equals("-")) {
        out.println(report.toJson());
      } else {
        Path file = Path.of(json).toAbsolutePath();
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        Files.writeString(file, report.toJson() + "\n", StandardCharsets.UTF_8);
        err.println("JSON report: " + file);
      }
    }
    return report.anyFailed() ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  private static void print(BenchReport report, PrintWriter out) {
    TextTable t = new TextTable(BenchReport.HEADER.toArray(String[]::new));
    report.rows().forEach(r -> t.row(r.toArray(String[]::new)));
    out.print(t.render());
    for (FigureResult f : report.figures()) {
      if (!f.note().isEmpty()
          && f.status() != FigureResult.Status.SKIPPED
          && f.status() != FigureResult.Status.FAILED) {
        out.println("  " + f.figure().id() + ": " + f.note());
      }
    }
    out.printf(
        java.util.Locale.ROOT,
        "%s run, %.0f s, %s cores, torch threads %s%n",
        report.settings().quick() ? "quick" : "full",
        report.seconds(),
        report.environment().get("cores"),
        report.environment().get("torch_threads"));
  }
}

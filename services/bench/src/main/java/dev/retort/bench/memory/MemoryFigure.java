package dev.retort.bench.memory;

import dev.retort.bench.BenchContext;
import dev.retort.bench.BenchSettings.MemoryShape;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import dev.retort.bench.Target;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Memory: the peak resident set (VmHWM) of a trainer of a 4-layer student at batch 32, and whether
 * its resident set grows once warm. The trainer is {@link MemoryProbe} in a fresh JVM (same class
 * path, same DJL settings), so nothing else this run did counts. Growth is "none" when the resident
 * set at the end is at most {@link #GROWTH_LIMIT} above the one after warm-up. The issue asks for
 * 10,000 steps: {@code retort bench --only memory --steps 10000}.
 */
public final class MemoryFigure implements Figure {
  /** The largest relative growth counted as none. */
  public static final double GROWTH_LIMIT = 0.05;

  /** The steps of the full check. */
  public static final long FULL_CHECK_STEPS = 10_000;

  /** The target: no growth. */
  public static final Target TARGET =
      Target.atMost(GROWTH_LIMIT).describedAs("state it; no growth (≤ 5%)");

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.MEMORY;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    if (ProcStatus.read().isEmpty()) {
      return FigureResult.skipped(id(), "no /proc/self/status on this system (Linux only)");
    }
    MemoryShape s = ctx.settings().memory();
    Path log = ctx.settings().workDir().resolve("memory-probe.log");
    Files.createDirectories(log.getParent());
    List<String> command = command(s, ctx.settings().seed());
    ctx.progress(
        "memory: %s student, batch %d, lengths %s, %d warm-up + %d steps in a fresh JVM (log: %s)",
        s.studentPreset(), s.batch(), s.lengths(), s.warmupSteps(), s.steps(), log);
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    Thread stop = new Thread(p::destroy, "memory-probe-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      return collect(ctx, s, p, log, command);
    } finally {
      p.destroy();
      Runtime.getRuntime().removeShutdownHook(stop);
    }
  }

  private FigureResult collect(
      BenchContext ctx, MemoryShape s, Process p, Path log, List<String> command) throws Exception {
    List<String> lines = new ArrayList<>();
    long total = s.warmupSteps() + s.steps();
    long reportEvery = Math.max(1, total / 10);
    // Every sample also goes to a file as it comes, so that a run cut short (the full check takes
    // hours) still leaves its curve.
    Path samplesFile = log.resolveSibling("memory-samples.jsonl");
    try (BufferedReader r =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter samples = Files.newBufferedWriter(samplesFile, StandardCharsets.UTF_8)) {
      long next = reportEvery;
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
        var parsed = MemorySamples.parse(List.of(line), 0).samples();
        if (!parsed.isEmpty()) {
          samples.write(line.trim());
          samples.newLine();
          samples.flush();
        }
        if (!parsed.isEmpty() && parsed.get(0).step() >= next) {
          ctx.progress(
              "memory: step %d of %d, RSS %.0f MiB",
              parsed.get(0).step(), total, parsed.get(0).rssKib() / 1024.0);
          next += reportEvery;
        }
      }
    }
    int exit = p.waitFor();
    if (exit != 0) {
      return FigureResult.failed(id(), "the probe exited with " + exit + "; see " + log);
    }
    MemorySamples m = MemorySamples.parse(lines, s.warmupSteps());
    return result(m, s, command);
  }

  private FigureResult result(MemorySamples m, MemoryShape s, List<String> command) {
    double growth = m.growth();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("student", s.studentPreset());
    d.put(
        "teacher_outputs",
        s.teacherPreset() + "-shaped, every layer, fp16 messages decoded every step");
    d.put("batch", s.batch());
    d.put("lengths", s.lengths());
    d.put("warmup_steps", s.warmupSteps());
    d.put("steps", s.steps());
    d.put("heap", s.heap());
    d.put("peak_rss_mib", m.peakKib() / 1024.0);
    d.put("rss_at_start_mib", m.samples().get(0).rssKib() / 1024.0);
    d.put("rss_after_warmup_mib", m.afterWarmup().rssKib() / 1024.0);
    d.put("rss_at_end_mib", m.last().rssKib() / 1024.0);
    d.put("growth", growth);
    d.put("slope_kib_per_1000_steps", m.slopeKibPerThousandSteps());
    d.put("growth_limit", GROWTH_LIMIT);
    d.put("samples", m.toRows());
    d.put("command", String.join(" ", command));
    String text =
        String.format(
            Locale.ROOT,
            "peak RSS %.0f MiB; RSS %.0f -> %.0f MiB over %d steps (%+.1f%%)",
            m.peakKib() / 1024.0,
            m.afterWarmup().rssKib() / 1024.0,
            m.last().rssKib() / 1024.0,
            m.last().step() - m.afterWarmup().step(),
            100 * growth);
    FigureResult r = FigureResult.measured(id(), growth, text, TARGET, d);
    if (s.steps() < FULL_CHECK_STEPS) {
      r =
          r.withNote(
              "growth checked over "
                  + s.steps()
                  + " steps; the full check is --only memory --steps "
                  + FULL_CHECK_STEPS);
    }
    return r;
  }

  /** Returns the probe's command line: this JVM's class path and DJL settings. */
  static List<String> command(MemoryShape s, long seed) {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.add("-Xmx" + s.heap());
    System.getProperties().stringPropertyNames().stream()
        .sorted()
        .filter(
            k ->
                k.startsWith("ai.djl.")
                    || k.equals("DJL_CACHE_DIR")
                    || k.equals("ENGINE_CACHE_DIR")
                    || k.startsWith("org.slf4j."))
        .forEach(k -> c.add("-D" + k + "=" + System.getProperty(k)));
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    c.add(MemoryProbe.class.getName());
    c.addAll(
        List.of(
            "--student",
            s.studentPreset(),
            "--teacher",
            s.teacherPreset(),
            "--batch",
            Integer.toString(s.batch()),
            "--lengths",
            String.join(",", s.lengths().stream().map(String::valueOf).toList()),
            "--warmup",
            Integer.toString(s.warmupSteps()),
            "--steps",
            Long.toString(s.steps()),
            "--every",
            Integer.toString(s.sampleEvery()),
            "--seed",
            Long.toString(seed)));
    return c;
  }
}

package dev.retort.bench.platform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one arm of a platform figure used of the cores: the CPU seconds of each platform process
 * over the arm's submissions, added up, against the cores those submissions' wall time offered.
 * The knowledge-reuse figure reports one for its shared arm and one for its four sequential jobs,
 * so that a run shows where the work went and how much of the machine idled; a platform-overhead
 * round's {@link CpuUse} holds one for its platform job.
 *
 * @param cores the machine's cores
 * @param wallSeconds the submissions' wall time, added up
 * @param cpuSeconds process name to CPU seconds, added up, the largest first; empty where the
 *     system does not report them
 */
public record ArmCpu(int cores, double wallSeconds, Map<String, Double> cpuSeconds) {

  /** Copies the map, keeping its order. */
  public ArmCpu {
    cpuSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(cpuSeconds));
  }

  /**
   * Adds up submissions on this machine.
   *
   * @param submissions the arm's submissions
   * @return the arm's use of the cores
   */
  public static ArmCpu of(List<Submission> submissions) {
    return of(Runtime.getRuntime().availableProcessors(), submissions);
  }

  /**
   * Adds up submissions.
   *
   * @param cores the machine's cores
   * @param submissions the arm's submissions
   * @return the arm's use of the cores; without CPU times where any submission lacks them
   */
  static ArmCpu of(int cores, List<Submission> submissions) {
    double wall = 0;
    Map<String, Double> cpu = new LinkedHashMap<>();
    boolean reported = true;
    for (Submission s : submissions) {
      wall += s.wallSeconds();
      reported &= !s.cpuSeconds().isEmpty();
      s.cpuSeconds().forEach((process, seconds) -> cpu.merge(process, seconds, Double::sum));
    }
    Map<String, Double> sorted = new LinkedHashMap<>();
    if (reported) {
      cpu.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    }
    return new ArmCpu(cores, wall, sorted);
  }

  /** Returns whether the system reported CPU times. */
  public boolean reported() {
    return !cpuSeconds.isEmpty();
  }

  /**
   * Returns the CPU seconds of all processes; NaN where the system did not report them (not 0: an
   * arm that was not measured did not idle).
   */
  public double total() {
    if (!reported()) {
      return Double.NaN;
    }
    return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * Returns the share of the cores the processes kept busy over the arm's wall time; NaN where the
   * system did not report CPU times.
   */
  public double busy() {
    return total() / (cores * wallSeconds);
  }

  /** Returns the values for the JSON report. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", cores);
    m.put("wall_seconds", wallSeconds);
    m.put("cpu_seconds", total());
    m.put("busy", busy());
    m.put("cpu_seconds_by_process", cpuSeconds);
    return m;
  }

  /**
   * Describes the arm: {@code shared arm: 110.2 core-s in 78.1 s (0.71 of 2 cores): trainer 49.4,
   * evaluator 28.9, ...}.
   *
   * @param arm the arm's name
   * @return one line
   */
  public String text(String arm) {
    if (!reported()) {
      return arm + ": CPU not reported by this system";
    }
    return String.format(
        Locale.ROOT,
        "%s: %.1f core-s in %.1f s (%.2f of %d cores): %s",
        arm, total(), wallSeconds, busy(), cores, processes());
  }

  /** Returns each process's CPU seconds, in order: {@code teacher 22.1, trainer 11.0, ...}. */
  public String processes() {
    return String.join(", ", cpuSeconds.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
        .toList());
  }
}

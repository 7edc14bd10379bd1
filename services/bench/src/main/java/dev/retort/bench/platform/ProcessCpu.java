package dev.retort.bench.platform;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time of processes, read from the operating system ({@link ProcessHandle.Info#totalCpuDuration}:
 * user and system time of all the process's threads), and what they used between two readings. A
 * job on two cores that keeps both busy for 10 s uses 20 core-seconds, wherever they went: the
 * platform figures print them per process, so that work the platform adds (the broker, the loss
 * service) and cores it leaves idle show apart from the training's own work.
 */
public final class ProcessCpu {
  private ProcessCpu() {}

  /**
   * Reads the CPU time each process has used since it started.
   *
   * @param processes name to process
   * @return name to CPU seconds, in the map's order; a process whose time the system does not
   *     report (gone, or another user's) is left out
   */
  public static Map<String, Double> read(Map<String, ProcessHandle> processes) {
    Map<String, Double> out = new LinkedHashMap<>();
    processes.forEach((name, p) -> seconds(p).ifPresent(s -> out.put(name, s)));
    return out;
  }

  /** Returns the CPU seconds this process has used, or NaN where the system does not report them. */
  public static double self() {
    return seconds(ProcessHandle.current()).orElse(Double.NaN);
  }

  /**
   * Returns what each process used between two readings, the largest first; a process missing from
   * either reading is left out.
   *
   * @param before the first reading
   * @param after the second
   * @return name to CPU seconds
   */
  public static Map<String, Double> used(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> out = new LinkedHashMap<>();
    after.entrySet().stream()
        .filter(e -> before.containsKey(e.getKey()))
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.get(e.getKey())))
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static Optional<Double> seconds(ProcessHandle p) {
    return p.info().totalCpuDuration().map(ProcessCpu::toSeconds);
  }

  private static double toSeconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }
}

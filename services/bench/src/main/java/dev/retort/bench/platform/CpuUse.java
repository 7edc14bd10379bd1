package dev.retort.bench.platform;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one round's pair of jobs used of the cores, each from submission to end (set-up and scoring
 * included, so more than the steps): the in-process job's CPU seconds of this process, and the
 * CPU seconds of each platform process while the platform job ran ({@link ProcessCpu}).
 *
 * @param cores the machine's cores
 * @param inProcessWallSeconds the in-process job's wall time
 * @param inProcessCpuSeconds this process's CPU seconds over it; NaN where the system does not
 *     report them
 * @param platform the platform job's wall time and each platform process's CPU seconds over it
 */
public record CpuUse(
    int cores,
    double inProcessWallSeconds,
    double inProcessCpuSeconds,
    ArmCpu platform) {

  /**
   * Returns one round's use of this machine's cores.
   *
   * @param here the in-process job
   * @param hereSeconds this process's CPU seconds over it
   * @param there the platform job
   * @param thereSeconds each platform process's CPU seconds over it
   * @return the round's use
   */
  public static CpuUse of(JobRun here, double hereSeconds, JobRun there, Map<String, Double> thereSeconds) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new CpuUse(cores, here.wallSeconds(), hereSeconds,
        new ArmCpu(cores, there.wallSeconds(), thereSeconds));
  }

  /** Returns whether both sides' CPU time was reported. */
  public boolean reported() {
    return platform.reported() && !Double.isNaN(inProcessCpuSeconds);
  }

  /** Returns the platform processes' CPU seconds together. */
  public double platformTotal() {
    return platform.total();
  }

  /** Returns the share of the cores the in-process job kept busy. */
  public double inProcessBusy() {
    return inProcessCpuSeconds / (cores * inProcessWallSeconds);
  }

  /** Returns the share of the cores the platform's processes kept busy. */
  public double platformBusy() {
    return platform.busy();
  }

  /** Returns the values for the JSON report. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", cores);
    m.put("in_process_wall_seconds", inProcessWallSeconds);
    m.put("in_process_cpu_seconds", inProcessCpuSeconds);
    m.put("in_process_busy", inProcessBusy());
    m.put("platform_wall_seconds", platform.wallSeconds());
    m.put("platform_cpu_seconds", platformTotal());
    m.put("platform_busy", platformBusy());
    m.put("platform_cpu_seconds_by_process", platform.cpuSeconds());
    return m;
  }

  /**
   * Describes the round: {@code CPU per job: in process 48.1 s in 28.5 s (0.84 of 2 cores); via
   * services 39.0 s in 22.0 s (0.89): teacher 22.1, trainer 11.0, kafka 2.3, ...}.
   */
  public String text() {
    if (!reported()) {
      return "CPU per job: not reported by this system";
    }
    return String.format(
        Locale.ROOT,
        "CPU per job: in process %.1f s in %.1f s (%.2f of %d cores); via services %.1f s in %.1f s (%.2f): %s",
        inProcessCpuSeconds, inProcessWallSeconds, inProcessBusy(), cores,
        platformTotal(), platform.wallSeconds(), platformBusy(), platform.processes());
  }
}

package dev.retort.bench.platform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs submitted to the platform together, the wall time from the first submission to the last
 * job's end, and the CPU seconds each platform process used in that time.
 *
 * @param runs each job
 * @param wallSeconds the whole set's wall time
 * @param cpuSeconds process name ({@code teacher}, {@code trainer}, {@code kafka}, ...) to the CPU
 *     seconds it used from the first submission to the last end ({@link ProcessCpu}), the largest
 *     first; empty where the system does not report them
 */
public record Submission(List<JobRun> runs, double wallSeconds, Map<String, Double> cpuSeconds) {
  /** Copies the runs and the CPU times. */
  public Submission {
    runs = List.copyOf(runs);
    cpuSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(cpuSeconds));
  }

  /** Returns the first job that did not finish, if any. */
  public Optional<JobRun> firstUnfinished() {
    return runs.stream().filter(r -> !r.finished()).findFirst();
  }
}

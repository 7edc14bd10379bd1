package dev.retort.bench.platform;

import java.util.List;

/**
 * Jobs submitted to the platform together, and the wall time from the first submission to the last
 * job's end.
 *
 * @param runs each job
 * @param wallSeconds the whole set's wall time
 */
public record Submission(List<JobRun> runs, double wallSeconds) {
  /** Copies the runs. */
  public Submission {
    runs = List.copyOf(runs);
  }

  /** Returns the first job that did not finish, if any. */
  public java.util.Optional<JobRun> firstUnfinished() {
    return runs.stream().filter(r -> !r.finished()).findFirst();
  }
}

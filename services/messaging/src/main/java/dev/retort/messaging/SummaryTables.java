package dev.retort.messaging;

import dev.retort.core.run.JobResult;
import dev.retort.proto.v1.SummaryTable;

/**
 * The teacher/student comparison a finished job's event carries, built the same way by the
 * evaluator (single-task jobs) and by the trainer (multi-domain jobs, which it evaluates itself).
 */
public final class SummaryTables {
  private SummaryTables() {}

  /**
   * Returns the comparison of a job's result: the headline values of teacher and student (test
   * when it is labelled, else dev) with the split they come from, retained = student / teacher,
   * the parameter counts, the batch-1 latencies and speedup = teacher latency / student latency.
   *
   * @param r the job's result
   * @return the table, or null when the result has no teacher score
   */
  public static SummaryTable of(JobResult r) {
    if (r.teacher() == null) {
      return null;
    }
    return SummaryTable.newBuilder()
        .setMetric(r.student().metric())
        .setSplit(r.student().headlineSplit())
        .setTeacherValue(r.teacher().headline())
        .setStudentValue(r.student().headline())
        .setRetained(r.retained())
        .setTeacherParameters(r.teacher().parameters())
        .setStudentParameters(r.student().parameters())
        .setTeacherLatencyMs(r.teacher().latencyMs())
        .setStudentLatencyMs(r.student().latencyMs())
        .setSpeedup(r.speedup())
        .build();
  }
}

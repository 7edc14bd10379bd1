package dev.retort.evaluator.messaging;

import dev.retort.core.run.ModelScore;
import dev.retort.evaluator.evaluation.CheckpointTask;
import dev.retort.evaluator.evaluation.Scored;
import dev.retort.evaluator.evaluation.Verdict;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.SchemaVersions;
import dev.retort.messaging.SummaryTables;
import dev.retort.messaging.TrainingRequests;
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.SummaryTable;
import java.util.Map;

/**
 * The one place where evaluator messages meet core values: {@link CheckpointReady} is checked
 * here, and verdicts become {@link EvaluationResult}s and a {@link SummaryTable}.
 *
 * <p>A checkpoint's result carries its dev metrics (split {@code dev}); a final teacher also gets
 * a {@code test} result. The student's final result is the best student's headline split ({@code
 * test} when labelled, else {@code dev}) with the summary: headline values of teacher and student,
 * retained = student / teacher, speedup = teacher latency / student latency.
 */
public final class EvaluationMapper {
  private EvaluationMapper() {}

  /**
   * Checks an announcement's fields (the job itself is checked when it is parsed).
   *
   * @param c the announcement
   * @throws BadMessageException naming the first field that is wrong
   */
  public static void check(CheckpointReady c) {
    TrainingRequests.checkJobId(c.getJobId());
    if (!c.getRole().equals(CheckpointTask.TEACHER) && !c.getRole().equals(CheckpointTask.STUDENT)) {
      throw new BadMessageException("role", "'" + c.getRole() + "' is not teacher or student");
    }
    if (c.getPath().isBlank()) {
      throw new BadMessageException("path", "is empty");
    }
    if (c.getStep() < 0) {
      throw new BadMessageException("step", "is negative: " + c.getStep());
    }
    if (c.getJob().getFieldsCount() == 0) {
      throw new BadMessageException("job", "the announcement carries no job");
    }
  }

  /**
   * Returns a checkpoint's dev result.
   *
   * @param c the announcement
   * @param v the verdict
   * @return the result
   */
  public static EvaluationResult dev(CheckpointReady c, Verdict v) {
    return result(c.getJobId(), c.getRole(), c.getStep(), "dev", v.scored().dev(), v)
        .setPrimaryValue(v.scored().primary()).build();
  }

  /**
   * Returns a final teacher's test result, or null when the test split has no labels. Checkpoints
   * are chosen on dev, so a test result is never "the best so far": {@code is_best} is false and
   * {@code best_value} is the dev value that chose it.
   *
   * @param c the announcement
   * @param v the verdict
   * @return the result or null
   */
  public static EvaluationResult test(CheckpointReady c, Verdict v) {
    Map<String, Double> test = v.scored().test();
    if (test.isEmpty()) {
      return null;
    }
    return result(c.getJobId(), c.getRole(), c.getStep(), "test", test, v)
        .setPrimaryValue(test.getOrDefault(v.scored().metric(), Double.NaN))
        .setIsBest(false)
        .build();
  }

  /**
   * Returns the student's final result with the summary.
   *
   * @param jobId the job
   * @param v the verdict of the student's final checkpoint
   * @return the result
   */
  public static EvaluationResult summary(String jobId, Verdict v) {
    ModelScore student = v.summary().result().student();
    String split = student.headlineSplit();
    EvaluationResult.Builder b = EvaluationResult.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setJobId(jobId)
        .setRole(CheckpointTask.STUDENT)
        .setStep(v.summary().bestStep())
        .setSplit(split)
        .putAllMetrics(split.equals("test") ? student.test() : student.dev())
        .setPrimaryMetric(student.metric())
        .setPrimaryValue(student.headline())
        .setBestValue(v.bestValue())
        .setIsBest(split.equals("dev")) // the chosen checkpoint, but "best" speaks of dev values
        .setParameters(student.parameters())
        .setLatencyMs(student.latencyMs());
    SummaryTable table = SummaryTables.of(v.summary().result());
    if (table != null) {
      b.setSummary(table);
    }
    return b.build();
  }

  private static EvaluationResult.Builder result(String jobId, String role, long step,
      String split, Map<String, Double> metrics, Verdict v) {
    Scored s = v.scored();
    return EvaluationResult.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setJobId(jobId)
        .setRole(role)
        .setStep(step)
        .setSplit(split)
        .putAllMetrics(metrics)
        .setPrimaryMetric(s.metric())
        .setBestValue(v.bestValue())
        .setIsBest(v.best())
        .setParameters(s.parameters())
        .setLatencyMs(s.latencyMs());
  }
}

package dev.retort.evaluator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.run.JobResult;
import dev.retort.core.run.ModelScore;
import dev.retort.evaluator.TinyJobs;
import dev.retort.evaluator.evaluation.Scored;
import dev.retort.evaluator.evaluation.Verdict;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.SummaryTables;
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.SummaryTable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationMapperTest {
  private static final CheckpointReady TEACHER = TinyJobs.checkpoint("j", "teacher", 0,
      "jobs/j/teacher/model", true, TinyJobs.job("d", "checkpoint:t"));
  private static final ModelScore T = new ModelScore("teacher", "acc", Map.of("acc", 0.8),
      Map.of("acc", 0.9), 1000, 20);
  private static final ModelScore S = new ModelScore("student", "acc", Map.of("acc", 0.7),
      Map.of("acc", 0.6), 250, 5);

  @Test
  void malformedAnnouncementsNameTheField() {
    assertRejected(TEACHER.toBuilder().setJobId("Bad Id"), "jobId");
    assertRejected(TEACHER.toBuilder().setRole("judge"), "role");
    assertRejected(TEACHER.toBuilder().setPath(" "), "path");
    assertRejected(TEACHER.toBuilder().setStep(-1), "step");
    assertRejected(TEACHER.toBuilder().clearJob(), "job");
    EvaluationMapper.check(TEACHER);
  }

  @Test
  void aFinalTeacherGetsADevAndATestResult() {
    Verdict v = new Verdict(new Scored("acc", 0.8, Map.of("acc", 0.8, "f1", 0.5),
        Map.of("acc", 0.9), 1000, 20), true, 0.8, T, null, false, false);
    EvaluationResult dev = EvaluationMapper.dev(TEACHER, v);
    assertThat(dev.getSplit()).isEqualTo("dev");
    assertThat(dev.getMetricsMap()).isEqualTo(Map.of("acc", 0.8, "f1", 0.5));
    assertThat(dev.getPrimaryMetric()).isEqualTo("acc");
    assertThat(dev.getPrimaryValue()).isEqualTo(0.8);
    assertThat(dev.getIsBest()).isTrue();
    assertThat(dev.getParameters()).isEqualTo(1000);
    assertThat(dev.getLatencyMs()).isEqualTo(20);
    EvaluationResult test = EvaluationMapper.test(TEACHER, v);
    assertThat(test.getSplit()).isEqualTo("test");
    assertThat(test.getPrimaryValue()).isEqualTo(0.9);
    assertThat(test.getIsBest()).as("checkpoints are chosen on dev, not on test").isFalse();
    assertThat(test.getBestValue()).isEqualTo(0.8);
    Verdict noTest = new Verdict(new Scored("acc", 0.8, Map.of("acc", 0.8), Map.of(), 1, 1),
        true, 0.8, null, null, false, false);
    assertThat(EvaluationMapper.test(TEACHER, noTest)).isNull();
  }

  @Test
  void theSummaryComparesHeadlineValuesSizesAndLatencies() {
    JobResult r = new JobResult("j", "bert-emd", T, S, Path.of("run"), Path.of("export"));
    SummaryTable table = SummaryTables.of(r);
    assertThat(table).isEqualTo(SummaryTable.newBuilder().setMetric("acc").setSplit("test").setTeacherValue(0.9)
        .setStudentValue(0.6).setRetained(0.6 / 0.9).setTeacherParameters(1000)
        .setStudentParameters(250).setTeacherLatencyMs(20).setStudentLatencyMs(5).setSpeedup(4)
        .build());
    Verdict v = new Verdict(new Scored("acc", 0.65, Map.of("acc", 0.65), Map.of(), 250, 5),
        false, 0.7, S, new Verdict.Summary(30, r, "jobs/j/export"), false, false);
    EvaluationResult s = EvaluationMapper.summary("j", v);
    assertThat(s.getStep()).isEqualTo(30);
    assertThat(s.getSplit()).isEqualTo("test");
    assertThat(s.getMetricsMap()).isEqualTo(Map.of("acc", 0.6));
    assertThat(s.getPrimaryValue()).isEqualTo(0.6);
    assertThat(s.getBestValue()).isEqualTo(0.7);
    assertThat(s.getIsBest()).as("a test value is never 'best so far'").isFalse();
    assertThat(s.getSummary()).isEqualTo(table);
    // A test split without the selection metric is not the headline: split, metrics and value are dev's.
    ModelScore devOnly = new ModelScore("student", "acc", Map.of("acc", 0.7), Map.of("f1", 0.5), 250, 5);
    JobResult dr = new JobResult("j", "bert-emd", T, devOnly, Path.of("run"), null);
    EvaluationResult d = EvaluationMapper.summary("j", new Verdict(new Scored("acc", 0.7, Map.of("acc", 0.7),
        Map.of(), 250, 5), true, 0.7, devOnly, new Verdict.Summary(30, dr, ""), false, false));
    assertThat(d.getSplit()).isEqualTo("dev");
    assertThat(d.getMetricsMap()).isEqualTo(Map.of("acc", 0.7));
    assertThat(d.getPrimaryValue()).isEqualTo(0.7);
    assertThat(d.getSummary().getSplit()).isEqualTo("dev");
    assertThat(d.getIsBest()).isTrue();
    JobResult noTeacher = new JobResult("j", "bert-emd", null, S, Path.of("run"), null);
    assertThat(SummaryTables.of(noTeacher)).isNull();
  }

  private static void assertRejected(CheckpointReady.Builder c, String where) {
    assertThatThrownBy(() -> EvaluationMapper.check(c.build()))
        .isInstanceOf(BadMessageException.class).hasMessageContaining(where);
  }
}

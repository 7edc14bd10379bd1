package dev.retort.evaluator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.run.JobResult;
import dev.retort.core.run.ModelScore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorStateTest {
  @TempDir
  Path jobDir;

  @Test
  void onlyAStrictlyBetterCheckpointBecomesTheBest() {
    EvaluatorState.RoleState r = new EvaluatorState().role("student");
    assertThat(r.record(10, false, "a", 0.5)).isTrue();
    assertThat(r.record(20, false, "b", 0.5)).as("a tie keeps the earlier").isFalse();
    assertThat(r.record(30, false, "c", 0.7)).isTrue();
    assertThat(r.record(40, true, "d", 0.6)).isFalse();
    assertThat(r.bestStep).isEqualTo(30);
    assertThat(r.bestPath).isEqualTo("c");
    assertThat(r.bestValue).isEqualTo(0.7);
    assertThat(r.evaluated(40, true)).isTrue();
    assertThat(r.evaluated(40, false)).isFalse();
    assertThat(r.evaluatedSteps()).containsExactly(10L, 20L, 30L, 40L);
  }

  @Test
  void theBestCheckpointsScoresAreKeptAcrossARestart() throws Exception {
    EvaluatorState s = EvaluatorState.load(jobDir, "j");
    EvaluatorState.RoleState r = s.role("student");
    Scored first = new Scored("acc", 0.6, Map.of("acc", 0.6, "f1", 0.5), Map.of(), 99, 1.5);
    Scored better = new Scored("acc", 0.7, Map.of("acc", 0.7, "f1", 0.65), Map.of(), 99, 1.5);
    Scored worse = new Scored("acc", 0.65, Map.of("acc", 0.65, "f1", 0.6), Map.of(), 99, 1.5);
    assertThat(r.record(10, false, "a", first)).isTrue();
    assertThat(r.record(20, false, "b", better)).isTrue();
    assertThat(r.record(30, true, "c", worse)).isFalse();
    s.save(jobDir);

    EvaluatorState.RoleState back = EvaluatorState.load(jobDir, "j").role("student");
    assertThat(back.bestStep).isEqualTo(20);
    assertThat(back.bestScored).isEqualTo(better);
  }

  @Test
  void stateSurvivesARestartWithScores() throws Exception {
    EvaluatorState s = EvaluatorState.load(jobDir, "j");
    assertThat(s.jobId).isEqualTo("j");
    EvaluatorState.RoleState t = s.role("teacher");
    t.record(0, true, "jobs/j/teacher/model", 0.8);
    t.parameters = 1234L;
    t.finalScore = new ModelScore("teacher", "acc", Map.of("acc", 0.8, "f1", Double.NaN),
        Map.of("acc", 0.75), 1234, 3.5);
    s.finished = true;
    s.save(jobDir);

    EvaluatorState back = EvaluatorState.load(jobDir, "j");
    EvaluatorState.RoleState b = back.role("teacher");
    assertThat(back.finished).isTrue();
    assertThat(b.bestValue).isEqualTo(0.8);
    assertThat(b.evaluated(0, true)).isTrue();
    assertThat(b.finalScore.test()).containsEntry("acc", 0.75);
    assertThat(b.finalScore.dev().get("f1")).isNaN();
    assertThat(b.finalScore.headline()).isEqualTo(0.75);
  }

  @Test
  void anUnpublishedVerdictSurvivesARestartUntilItIsPublished() throws Exception {
    EvaluatorState s = EvaluatorState.load(jobDir, "j");
    EvaluatorState.RoleState r = s.role("student");
    r.record(30, true, "jobs/j/student/snapshots/step-30", 0.7);
    Verdict v = finalVerdict(jobDir);
    r.awaitPublishing(30, true, v);
    s.save(jobDir);

    EvaluatorState.RoleState back = EvaluatorState.load(jobDir, "j").role("student");
    assertThat(back.unpublished(30, true)).isEqualTo(v);
    assertThat(back.unpublished(30, false)).isNull();
    assertThat(back.published(30, true)).isTrue();
    assertThat(back.unpublished(30, true)).isNull();
  }

  /** Returns the verdict of a student's final checkpoint, with the job's summary. */
  static Verdict finalVerdict(Path jobDir) {
    Scored scored = new Scored("acc", 0.7, Map.of("acc", 0.7), Map.of(), 99, 1.5);
    ModelScore student = new ModelScore("student", "acc", Map.of("acc", 0.7),
        Map.of("acc", 0.65), 99, 1.5);
    ModelScore teacher = new ModelScore("teacher", "acc", Map.of("acc", 0.8),
        Map.of("acc", 0.75), 1234, 3.5);
    JobResult result = new JobResult("j", "bert-emd", teacher, student, jobDir, null);
    return new Verdict(scored, true, 0.7, student, new Verdict.Summary(30, result, ""), false,
        false);
  }
}

package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.run.JobResult;
import dev.retort.core.run.ModelScore;
import dev.retort.proto.v1.SummaryTable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTablesTest {
  private static final ModelScore TEACHER =
      new ModelScore("teacher", "acc", Map.of("acc", 0.8), Map.of("acc", 0.9), 1000, 20);
  private static final ModelScore STUDENT =
      new ModelScore("student", "acc", Map.of("acc", 0.7), Map.of("acc", 0.6), 250, 5);

  @Test
  void aLabelledTestSplitGivesTheHeadlineValuesAndSaysTheyAreTest() {
    SummaryTable t = SummaryTables.of(result(TEACHER, STUDENT));
    assertThat(t).isEqualTo(SummaryTable.newBuilder().setMetric("acc").setSplit("test")
        .setTeacherValue(0.9).setStudentValue(0.6).setRetained(0.6 / 0.9)
        .setTeacherParameters(1000).setStudentParameters(250)
        .setTeacherLatencyMs(20).setStudentLatencyMs(5).setSpeedup(4).build());
  }

  @Test
  void withoutTestLabelsTheTableComparesDevValuesAndSaysSo() {
    ModelScore teacher = new ModelScore("teacher", "acc", Map.of("acc", 0.8), Map.of(), 1000, 20);
    ModelScore student = new ModelScore("student", "acc", Map.of("acc", 0.4), Map.of(), 250, 5);
    SummaryTable t = SummaryTables.of(result(teacher, student));
    assertThat(t.getSplit()).isEqualTo("dev");
    assertThat(t.getTeacherValue()).isEqualTo(0.8);
    assertThat(t.getStudentValue()).isEqualTo(0.4);
    assertThat(t.getRetained()).isEqualTo(0.5);
  }

  @Test
  void aResultWithoutATeacherScoreHasNoTable() {
    assertThat(SummaryTables.of(result(null, STUDENT))).isNull();
  }

  private static JobResult result(ModelScore teacher, ModelScore student) {
    return new JobResult("j", "bert-emd", teacher, student, Path.of("run"), null);
  }
}

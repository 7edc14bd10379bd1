package dev.retort.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.proto.v1.SummaryTable;
import org.junit.jupiter.api.Test;

class ResultsCommandTest {

  @Test
  void theSummaryLineNamesTheSplitAndSaysTheSpeedUpOnce() {
    SummaryTable s = SummaryTable.newBuilder().setMetric("acc").setSplit("test").setTeacherValue(0.63)
        .setStudentValue(0.57).setRetained(0.905).setSpeedup(4.4).setTeacherParameters(22_710_000)
        .setStudentParameters(15_620_000).build();
    assertThat(ResultsCommand.summaryLine(s))
        .isEqualTo("acc (test): teacher 0.6300, student 0.5700 (90.5% retained), 4.4x faster, 22.71M vs 15.62M parameters");
  }
}

package dev.retort.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.SummaryTable;
import org.junit.jupiter.api.Test;

class EventLinesTest {
  private static final JobEvent.Builder BASE = JobEvent.newBuilder().setJobId("j").setSource("trainer")
      .setTime(Timestamp.newBuilder().setSeconds(1_795_473_755L)); // 2026-11-23 22:42:35 UTC

  @Test
  void aProgressReportShowsPhaseStepLossesAndThroughputAfterItsTimeAndSource() {
    JobEvent e = BASE.clone().setProgress(JobEvent.Progress.newBuilder().setPhase("distill").setStep(5)
        .setTotalSteps(9).putLosses("total", 0.40042).setExamplesPerSecond(65.04)).build();
    assertThat(EventLines.line(e))
        .isEqualTo("22:42:35  trainer    distill step 5/9 total=" + dev.retort.cli.Formats.loss(0.40042) + " (65.0 examples/s)");
  }

  @Test
  void anEvaluationNamesRoleSplitStepAndWhetherItIsTheBest() {
    EvaluationResult r = EvaluationResult.newBuilder().setRole("student").setSplit("dev").setStep(5)
        .setPrimaryMetric("acc").setPrimaryValue(0.3).setIsBest(true).build();
    assertThat(EventLines.evaluated(r)).isEqualTo("student dev at step 5: acc = 0.3000 (best so far)");
    assertThat(EventLines.evaluated(r.toBuilder().setIsBest(false).build())).doesNotContain("best");
  }

  @Test
  void aSummaryNamesTheSplitItsValuesComeFrom() {
    SummaryTable test = SummaryTable.newBuilder().setMetric("acc").setSplit("test")
        .setTeacherValue(0.63).setStudentValue(0.57).build();
    assertThat(EventLines.metricLabel(test)).isEqualTo("acc (test)");
    // A summary from an evaluator that does not send the split yet shows the metric alone.
    assertThat(EventLines.metricLabel(test.toBuilder().clearSplit().build())).isEqualTo("acc");
  }

  @Test
  void theEndSaysHowTheJobEnded() {
    SummaryTable s = SummaryTable.newBuilder().setMetric("acc").setSplit("test").setTeacherValue(0.63)
        .setStudentValue(0.57).setRetained(0.905).build();
    JobEvent finished = BASE.clone().setFinished(JobEvent.Finished.newBuilder().setSummary(s)
        .setExportPath("jobs/j/export")).build();
    assertThat(EventLines.what(finished)).isEqualTo(
        "finished: acc (test) teacher 0.6300, student 0.5700 (90.5% retained); exported to jobs/j/export");
    JobEvent rejected = BASE.clone().setRejected(JobEvent.Rejected.newBuilder().setWhere("distill.method")
        .setReason("'emd' is not a method").setFix("Use one of bert-emd, hrkd")).build();
    assertThat(EventLines.what(rejected))
        .isEqualTo("rejected: distill.method: 'emd' is not a method. Use one of bert-emd, hrkd");
    JobEvent failed = BASE.clone().setFailed(JobEvent.Failed.newBuilder().setReason("out of memory")
        .setLastCheckpoint("jobs/j/student/checkpoints/step-000000005.safetensors")).build();
    assertThat(EventLines.what(failed)).startsWith("failed: out of memory (last checkpoint jobs/j/");
    assertThat(EventLines.what(BASE.clone().setCancelled(JobEvent.Cancelled.newBuilder().setStep(7)).build()))
        .isEqualTo("cancelled at step 7");
  }
}

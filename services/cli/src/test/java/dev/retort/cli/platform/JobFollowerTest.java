package dev.retort.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.JobEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class JobFollowerTest {

  private static JobEvent evaluated(String role, long step, double acc) {
    return JobEvent.newBuilder()
        .setJobId("j")
        .setEvaluated(JobEvent.Evaluated.newBuilder().setResult(EvaluationResult.newBuilder()
            .setJobId("j").setRole(role).setSplit("dev").setStep(step)
            .setPrimaryMetric("acc").setPrimaryValue(acc)))
        .build();
  }

  @Test
  void anEvaluationReportedAgainForTheFinalAnnouncementIsShownOnce() {
    StringWriter err = new StringWriter();
    JobFollower f =
        new JobFollower("j", new PrintWriter(new StringWriter()), new PrintWriter(err, true), false);

    f.show(evaluated("student", 84, 0.6172));
    f.show(evaluated("student", 112, 0.6133));
    f.show(evaluated("student", 112, 0.6133)); // the last snapshot, announced again as final
    f.show(evaluated("teacher", 112, 0.7));

    assertThat(err.toString().lines().toList())
        .containsExactly(
            "student dev at step 84: acc = 0.6172",
            "student dev at step 112: acc = 0.6133",
            "teacher dev at step 112: acc = 0.7000");
  }
}

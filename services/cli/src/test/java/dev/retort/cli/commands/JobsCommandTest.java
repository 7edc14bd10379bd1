package dev.retort.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.proto.v1.JobEvent;
import org.junit.jupiter.api.Test;

/** What `retort jobs` says of a job, from its events. */
class JobsCommandTest {
  private static JobEvent failed(String reason, boolean continues) {
    return JobEvent.newBuilder().setJobId("j")
        .setFailed(JobEvent.Failed.newBuilder().setReason(reason).setJobContinues(continues)).build();
  }

  private static JobEvent progress(long step) {
    return JobEvent.newBuilder().setJobId("j")
        .setProgress(JobEvent.Progress.newBuilder().setPhase("distill").setStep(step).setTotalSteps(10)).build();
  }

  @Test
  void aFailureMarkedJobContinuesIsAWarningBesideTheStatusNotAnEnd() {
    JobsCommand.JobStatus s = new JobsCommand.JobStatus();
    s.apply(JobEvent.newBuilder().setJobId("j").setAccepted(JobEvent.Accepted.getDefaultInstance()).build());
    s.apply(failed("the artifact store is not writable", true));
    assertThat(s.status()).isEqualTo("accepted (warning: the artifact store is not writable)");
    s.apply(progress(1));
    assertThat(s.status()).isEqualTo("running");
  }

  @Test
  void aFailureThatEndsTheJobIsItsStatus() {
    JobsCommand.JobStatus s = new JobsCommand.JobStatus();
    s.apply(progress(3));
    s.apply(failed("out of memory", false));
    assertThat(s.status()).isEqualTo("failed: out of memory");
  }
}

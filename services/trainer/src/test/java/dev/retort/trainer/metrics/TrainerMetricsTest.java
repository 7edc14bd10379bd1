package dev.retort.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.train.TrainingListener.StepReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerMetricsTest {

  private static StepReport report(int examples) {
    return new StepReport(Map.of("total", 0.5), 1e-4, 2.0, examples, 0.5,
        Map.of("teacher", 0.1, "forward", 0.2), 100);
  }

  @Test
  void stepAndExampleCountersCountEveryStepBetweenReports() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TrainerMetrics m = new TrainerMetrics(registry);
    // log-every 5: reports at steps 1, 5 and 10, 16 examples per step.
    m.step("j", "bert-emd", "distill", 1, 16, report(16));
    m.step("j", "bert-emd", "distill", 5, 80, report(16));
    m.step("j", "bert-emd", "distill", 10, 160, report(16));
    assertThat(registry.get("retort.trainer.steps").tag("job", "j").counter().count()).isEqualTo(10.0);
    assertThat(registry.get("retort.trainer.examples").tag("job", "j").counter().count()).isEqualTo(160.0);
    assertThat(registry.get("retort.trainer.step.seconds").tag("part", "teacher").timer().count()).isEqualTo(3);
  }

  @Test
  void phasesAndJobsAreCountedSeparatelyAndAResumedJobStartsWithOneStep() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TrainerMetrics m = new TrainerMetrics(registry);
    m.step("j", "bert-emd", "teacher-finetune", 1, 16, report(16));
    m.step("j", "bert-emd", "teacher-finetune", 3, 48, report(16));
    m.step("j", "bert-emd", "distill", 400, 6400, report(16));
    m.ended("j");
    m.step("j", "bert-emd", "distill", 405, 6480, report(16));
    assertThat(registry.get("retort.trainer.steps").tag("phase", "teacher-finetune").counter().count()).isEqualTo(3.0);
    assertThat(registry.get("retort.trainer.steps").tag("phase", "distill").counter().count()).isEqualTo(2.0);
  }

  @Test
  void rejectedDeadLetterAndRetriedCountersExistBeforeTheFirstOne() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new TrainerMetrics(registry);
    assertThat(registry.get("retort.trainer.rejected").counter().count()).isZero();
    assertThat(registry.get("retort.trainer.deadletters").tag("topic", "retort.jobs.requests.v1").counter().count()).isZero();
    assertThat(registry.get("retort.trainer.requests.retried").tag("reason", "start-failed").counter().count()).isZero();
    assertThat(registry.get("retort.trainer.requests.retried").tag("reason", "job-locked").counter().count()).isZero();
  }
}

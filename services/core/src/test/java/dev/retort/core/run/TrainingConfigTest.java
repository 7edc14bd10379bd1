package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {
  private static TrainingConfig config(int epochs, long maxSteps, int gradAccumulation) {
    return new TrainingConfig(epochs, maxSteps, 32, gradAccumulation, 1e-4, "adamw", 0.0, 0.1, 1.0,
        0, 0, 1, false, "shuffle");
  }

  @Test
  void totalBatchesCountsTheMicroBatchesOfEveryStepUpToMaxSteps() {
    // 2 epochs of 10 micro-batches, 2 per step: 10 steps, 20 micro-batches.
    assertThat(config(2, -1, 2).totalSteps(10)).isEqualTo(10);
    assertThat(config(2, -1, 2).totalBatches(10)).isEqualTo(20);
    // max-steps 3 stops after 3 steps: 6 micro-batches, the last at position 5.
    assertThat(config(2, 3, 2).totalBatches(10)).isEqualTo(6);
    assertThat(config(1, 16, 1).totalBatches(100)).isEqualTo(16);
  }

  private static ConfigValues hrkdJob(String method, String graph, int gradAccumulation) {
    String yaml = "teacher:\n  model: m\ndistill:\n  method: " + method + "\n  hrkd:\n    graph: " + graph
        + "\n  training:\n    batch-size: 8\n    grad-accumulation: " + gradAccumulation + "\n";
    return new JobParser(JobSchema.root()).parse(yaml, "hrkd.yaml");
  }

  @Test
  void trainedHrkdGraphWithGradAccumulationIsRejectedNamingFileKeyAndFix() {
    // The graph steps its optimiser in every loss evaluation, i.e. once per micro-batch.
    ConfigValues job = hrkdJob("hrkd", "trained", 2);
    assertThatThrownBy(() -> TrainingConfig.of(job, "distill.training", "hrkd"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("hrkd.yaml")
        .hasMessageContaining("'distill.training.grad-accumulation'")
        .hasMessageContaining("2 steps per student step")
        .hasMessageContaining("distill.hrkd.graph frozen");
  }

  @Test
  void gradAccumulationStaysAllowedWhereNoGraphIsTrained() {
    assertThatNoException().isThrownBy(() -> TrainingConfig.of(hrkdJob("hrkd", "frozen", 2), "distill.training", "hrkd"));
    assertThatNoException().isThrownBy(() -> TrainingConfig.of(hrkdJob("hrkd", "trained", 1), "distill.training", "hrkd"));
    assertThatNoException()
        .isThrownBy(() -> TrainingConfig.of(hrkdJob("multi-domain-kd", "trained", 2), "distill.training", "multi-domain-kd"));
    // The trainer reads teacher.training with the job's method too; the teacher has no graph.
    assertThatNoException().isThrownBy(() -> TrainingConfig.of(hrkdJob("hrkd", "trained", 2), "teacher.training", "hrkd"));
  }
}

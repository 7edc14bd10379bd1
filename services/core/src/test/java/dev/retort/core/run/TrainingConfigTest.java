package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

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
}

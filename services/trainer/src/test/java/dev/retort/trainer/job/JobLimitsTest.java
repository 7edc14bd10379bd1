package dev.retort.trainer.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.trainer.config.TrainerConfig;
import org.junit.jupiter.api.Test;

class JobLimitsTest {

  /** The limits of a trainer that takes students of at most 20M weights. */
  private static final TrainerConfig.Limits LIMITS =
      new TrainerConfig.Limits() {
        @Override
        public int maxSequenceLength() {
          return 512;
        }

        @Override
        public int maxBatchSize() {
          return 256;
        }

        @Override
        public long maxParameters() {
          return 20_000_000L;
        }

        @Override
        public int maxEpochs() {
          return 100;
        }
      };

  private static ConfigValues job(String student) {
    return new JobParser(JobSchema.root())
        .parse(
            "task: {format: sample}\nteacher: {model: all-minilm-l6-v2}\nstudent: " + student + "\n",
            "job.yaml");
  }

  @Test
  void theStudentsSizeKeysCountTowardsTheWeightLimit() {
    // tinybert-4l-312 is about 14.5M weights; 8 layers of it about 17.9M; 768 wide about 45M.
    assertThatCode(() -> JobLimits.check(job("{preset: tinybert-4l-312, layers: 8}"), LIMITS))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> JobLimits.check(
                job("{preset: tinybert-4l-312, hidden-size: 768, heads: 12, intermediate-size: 3072}"),
                LIMITS))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("key 'student'")
        .hasMessageContaining("this trainer accepts 20000000");
  }
}

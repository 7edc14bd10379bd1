package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import org.junit.jupiter.api.Test;

/**
 * How far a job's batches are padded when it sets no {@code task.buckets}: to the maximum length
 * for the methods whose official code averages its MSEs over every padded position, to the bucket
 * ladder for the methods that read only [CLS] or the logits.
 */
class PaddingDefaultsTest {

  private static ConfigValues job(String... lines) {
    String yaml = "teacher:\n  model: 'preset:tiny'\ntask:\n  max-length: 64\n" + String.join("\n", lines) + "\n";
    return new JobParser(JobSchema.root()).parse(yaml, "job.yaml");
  }

  private static ConfigValues method(String name) {
    return job("distill:", "  method: " + name);
  }

  @Test
  void methodsWithPerPositionLossesPadEveryBatchToTheMaximumLength() {
    for (String m : new String[] {"bert-emd", "tinybert", "layerwise", "hrkd", "multi-domain-kd"}) {
      ConfigValues job = method(m);
      assertThat(Methods.positionLosses(job)).as(m).isTrue();
      assertThat(EncodedTask.paddedLengths(job, Methods.positionLosses(job))).as(m).containsExactly(64);
    }
  }

  @Test
  void methodsThatReadOnlyClsOrLogitsKeepTheBucketLadder() {
    for (String m : new String[] {"none", "logits-kd", "pkd"}) {
      ConfigValues job = method(m);
      assertThat(Methods.positionLosses(job)).as(m).isFalse();
      assertThat(EncodedTask.paddedLengths(job, false)).as(m).containsExactly(16, 32, 64);
    }
  }

  @Test
  void anEfficientBertStudentPadsToTheMaximumLengthWhateverTheMethodKey() {
    ConfigValues job = job("student:", "  ffn-expressions: ['gelu(linear1_1(x,wb1))']", "distill:", "  method: logits-kd");
    assertThat(Methods.positionLosses(job)).isTrue();
  }

  @Test
  void explicitBucketsWinOverTheMethodDefault() {
    ConfigValues job = job("  buckets: [16, 32]", "distill:", "  method: bert-emd");
    assertThat(EncodedTask.paddedLengths(job, true)).containsExactly(16, 32, 64);
  }
}

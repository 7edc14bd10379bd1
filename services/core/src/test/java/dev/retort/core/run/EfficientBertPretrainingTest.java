package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code student.pretrain}: the pre-training KD an EfficientBERT student gets before downstream KD. */
class EfficientBertPretrainingTest {
  @TempDir static Path dir;

  @BeforeAll
  static void corpus() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int d = 0; d < 12; d++) {
      for (int s = 0; s < 6; s++) {
        lines.add("the service in review " + d + " was good and the battery lasted " + s + " days");
      }
      lines.add("");
    }
    Files.write(dir.resolve("corpus.txt"), lines);
  }

  private static ConfigValues job(String pretrain) {
    return job(pretrain, dir.resolve("run"));
  }

  private static ConfigValues job(String pretrain, Path out) {
    String yaml = String.join("\n",
        "seed: 7",
        "teacher:",
        "  model: 'preset:tiny'",
        "task:",
        "  format: sample",
        "  dir: '" + dir.resolve("sample") + "'",
        "  sample-size: 100",
        "  max-train-examples: 64",
        "  max-eval-examples: 32",
        "  max-length: 32",
        "  buckets: [16, 32]",
        "student:",
        "  hidden-size: 48",
        "  embedding-size: 16",
        "  ffn-expressions: ['linear2_2(gelu(linear2_2(x,wb1)),wb2)', 'linear1_1(relu(linear1_1(x,wb1)),wb2)']",
        "  pretrain:",
        pretrain,
        "distill:",
        "  training:",
        "    batch-size: 8",
        "    max-steps: 4",
        "    log-every: 1",
        "    eval-every: 4",
        "output:",
        "  dir: '" + out + "'",
        "");
    return new JobParser(JobSchema.root()).parse(yaml, "pretrain.yaml");
  }

  @Test
  void pretrainingKdTrainsTheEncoderAndLeavesTheTaskHeadAlone() {
    ConfigValues job = job("    steps: 3\n    lr: 0.001\n    corpus: '" + dir.resolve("corpus.txt") + "'");
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
    ModelFactory models = new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults());
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel teacher = models.teacher(job, task, List.of("default"), m);
      EfficientBertStudent student = new EfficientBertFactory(PathPolicy.unrestricted()).student(job, task, teacher, m);
      StateDict before = StateDicts.toStateDict(student.model(), "before");

      EfficientBertPretraining phase = new EfficientBertPretraining(job, PathPolicy.unrestricted(), models);
      assertThat(phase.enabled()).isTrue();
      phase.run(student, teacher, task, 8, () -> false, m);

      StateDict after = StateDicts.toStateDict(student.model(), "after");
      List<String> changed = before.asMap().keySet().stream()
          .filter(k -> !Arrays.equals(before.require(k).toFloats(), after.require(k).toFloats()))
          .toList();
      // Attention and hidden MSE reach every encoder layer and fit_dense.
      assertThat(changed).anyMatch(k -> k.startsWith("encoder.0.")).anyMatch(k -> k.startsWith("encoder.1."))
          .contains("fit_dense.weight");
      // No logits, so the head gets no gradient: only AdamW's decoupled weight decay touches it
      // (a factor 1 - lr·0.01 per step at most).
      float[] w0 = before.require("classifier.weight").toFloats();
      float[] w1 = after.require("classifier.weight").toFloats();
      for (int i = 0; i < w0.length; i++) {
        assertThat((double) Math.abs(w1[i] - w0[i])).isLessThanOrEqualTo(3 * 1e-3 * 0.01 * Math.abs(w0[i]) + 1e-9);
      }
    }
  }

  @Test
  void distillJobRunsPretrainingBeforeDownstreamKd() {
    ConfigValues job = job("    steps: 3\n    corpus: '" + dir.resolve("corpus.txt") + "'");
    // Cancelled at the first step it polls: the first phase to run is the pre-training.
    assertThatThrownBy(() -> new JobRunner(RunEnvironment.local(List.of(), () -> true)).run(job, "pre"))
        .isInstanceOf(JobCancelledException.class)
        .hasMessageContaining("pretrain");
  }

  @Test
  void resumedJobSkipsPretrainingAndContinuesDownstreamFromItsCheckpoint() {
    String pre = "    steps: 3\n    corpus: '" + dir.resolve("corpus.txt") + "'";
    ConfigValues job = job(pre, dir.resolve("resume"));
    int[] steps = {0};
    dev.retort.core.train.TrainingListener count = new dev.retort.core.train.TrainingListener() {
      @Override
      public void onStep(dev.retort.core.train.TrainState state, StepReport report) {
        steps[0]++;
      }
    };
    // Pre-training runs (the listener sees only downstream steps), then downstream KD stops at step 2.
    assertThatThrownBy(() -> new JobRunner(RunEnvironment.local(List.of(count), () -> steps[0] >= 2)).run(job, "resume"))
        .isInstanceOf(JobCancelledException.class)
        .hasMessageContaining("distill");
    // Resumed and cancelled at once: the first phase to poll is downstream KD, not pre-training again.
    assertThatThrownBy(() -> new JobRunner(RunEnvironment.local(List.of(), () -> true)).run(job, "resume"))
        .isInstanceOf(JobCancelledException.class)
        .hasMessageContaining("distill")
        .hasMessageNotContaining("pretrain");
  }

  @Test
  void stepsWithoutACorpusOrANegativeCountAreRejectedWithTheKey() {
    assertThatThrownBy(() -> EfficientBertPretraining.validate(job("    steps: 3")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("student.pretrain.corpus");
    assertThatThrownBy(() -> EfficientBertPretraining.validate(job("    steps: -1")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("student.pretrain.steps");
    EfficientBertPretraining.validate(job("    steps: 0"));
  }
}

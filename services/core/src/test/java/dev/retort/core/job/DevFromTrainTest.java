package dev.retort.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.search.FitnessHoldout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code task.dev-from-train}: the end of the training split becomes dev, the rows an in-process
 * EfficientBERT search holds out, so a platform candidate is scored where an in-process one is.
 */
class DevFromTrainTest {
  @TempDir Path dir;

  private TaskData resolve(String extra) {
    String yaml = "teacher:\n  model: 'preset:tiny'\ntask:\n  format: sample\n  dir: '" + dir.resolve("sample")
        + "'\n  sample-size: 40\n  domains: [books]\n" + extra;
    return new TaskResolver(PathPolicy.unrestricted()).resolve(new JobParser(JobSchema.root()).parse(yaml, "job.yaml"));
  }

  @Test
  void theLastRowsOfTrainBecomeDevAndAreNotTrainedOn() {
    TaskData plain = resolve("");
    TaskData held = resolve("  dev-from-train: 0.1\n  dev-from-train-min: 6\n");
    FitnessHoldout.Split search = new FitnessHoldout(0.1, 6).split(plain.train());

    assertThat(held.dev().examples()).isEqualTo(search.heldOut().examples()).hasSize(6);
    assertThat(held.train().examples()).isEqualTo(search.train().examples());
    assertThat(held.dev().examples()).doesNotContainAnyElementsOf(plain.dev().examples());
    assertThat(held.fingerprint()).isNotEqualTo(plain.fingerprint());
  }

  @Test
  void aHoldOutThatLeavesNothingToTrainOnIsAnErrorNamingTheKey() {
    assertThatThrownBy(() -> resolve("  dev-from-train: 0.1\n  dev-from-train-min: 1000\n"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("task.dev-from-train")
        .hasMessageContaining("leaves none to train on");
  }
}

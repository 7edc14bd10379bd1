package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.weights.LoadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which jobs share a teacher pass on the platform, i.e. replay each other's teacher outputs. */
class PassKeyTest {
  @TempDir Path dir;

  private ConfigValues job() {
    return job("bert-emd");
  }

  private ConfigValues job(String method) {
    String yaml =
        String.join(
            "\n",
            "teacher:",
            "  model: 'preset:tiny'",
            "task:",
            "  format: sample",
            "  dir: '" + dir.resolve("sample") + "'",
            "  sample-size: 60",
            "  max-length: 32",
            "distill:",
            "  method: " + method,
            "");
    return new JobParser(JobSchema.root()).parse(yaml, "job.yaml");
  }

  private String key(ConfigValues job, TaskData task, LoadedModel teacher, String runName)
      throws IOException {
    Path teacherDir =
        TeacherHandover.handOver(teacher, dir.resolve("jobs").resolve(runName), dir.resolve("teachers"));
    TrainingConfig tc = TrainingConfig.of(job, "distill.training", "bert-emd");
    return JobRunner.passKey(
        job, task, teacher, teacherDir.toString(), TeacherSelection.all(teacher.config().numLayers()), tc);
  }

  @Test
  void changedWeightsBehindTheSameReferenceStartANewPassAndEqualWeightsShareOne() throws IOException {
    ConfigValues job = job();
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
    ModelFactory factory = new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults());
    try (NDManager manager = NDManager.newBaseManager()) {
      // The same reference and source, different weights: a directory re-trained in place.
      LoadedModel before = factory.load("preset:tiny", "teacher.model", task, List.of("default"),
          "auto", PooledActivation.NONE, 1, manager);
      LoadedModel after = factory.load("preset:tiny", "teacher.model", task, List.of("default"),
          "auto", PooledActivation.NONE, 2, manager);
      assertThat(after.source()).isEqualTo(before.source());

      String first = key(job, task, before, "a");
      assertThat(key(job, task, before, "b")).isEqualTo(first);
      assertThat(key(job, task, after, "c")).isNotEqualTo(first);
    }
  }

  @Test
  void jobsWhoseMethodsPadDifferentlyByDefaultDoNotShareAPass() throws IOException {
    ConfigValues emd = job("bert-emd"); // pads every batch to max-length
    ConfigValues pkd = job("pkd"); // pads to the bucket ladder
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(emd);
    ModelFactory factory = new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults());
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel teacher = factory.load("preset:tiny", "teacher.model", task, List.of("default"),
          "auto", PooledActivation.NONE, 1, manager);
      assertThat(key(pkd, task, teacher, "b")).isNotEqualTo(key(emd, task, teacher, "a"));
    }
  }
}

package dev.retort.evaluator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's scores on a job's data, and what the job's end does not compute again. */
class ModelScorerTest {
  @TempDir Path dir;

  @Test
  void knownDevScoresAreReusedAndOnlyTheTestSplitIsScored() {
    String yaml = String.join("\n",
        "teacher:",
        "  model: 'preset:tiny'",
        "task:",
        "  format: sample",
        "  dir: '" + dir.resolve("sample") + "'",
        "  sample-size: 60",
        "  max-length: 32",
        "");
    ConfigValues job = new JobParser(JobSchema.root()).parse(yaml, "job.yaml");
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
    JobData data = new JobData(job, task);
    ModelScorer scorer = new ModelScorer(8, 0, 1);
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel model = new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults())
          .load("preset:tiny", "teacher.model", task, List.of("default"), "auto",
              PooledActivation.NONE, 1, manager);
      AtomicInteger fullSteps = new AtomicInteger();
      Scored full = scorer.score(data, model, true, 1.0, manager, fullSteps::incrementAndGet);

      // Values no evaluation of this model gives: they can only come from the known scores.
      Scored known = new Scored(full.metric(), 0.123, Map.of(full.metric(), 0.123), Map.of(),
          full.parameters(), 1.0);
      AtomicInteger reusedSteps = new AtomicInteger();
      Scored reused =
          scorer.score(data, model, true, 1.0, known, manager, reusedSteps::incrementAndGet);

      assertThat(full.test()).isNotEmpty();
      assertThat(reused.metric()).isEqualTo(full.metric());
      assertThat(reused.primary()).isEqualTo(0.123);
      assertThat(reused.dev()).isEqualTo(known.dev());
      assertThat(reused.test()).as("the test split is scored as before").isEqualTo(full.test());
      assertThat(reusedSteps.get())
          .as("progress of the dev split's encoding and batches is gone")
          .isLessThan(fullSteps.get());
    }
  }
}

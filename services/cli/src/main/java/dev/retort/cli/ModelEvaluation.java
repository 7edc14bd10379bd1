package dev.retort.cli;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.data.Dataset;
import dev.retort.core.efficientbert.search.DevScorer;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.metrics.MetricSet;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.model.Taps;
import dev.retort.core.run.EfficientBertDirectory;
import dev.retort.core.run.EfficientBertStudent;
import dev.retort.core.run.EncodedTask;
import dev.retort.core.run.Evaluator;
import dev.retort.core.run.Latency;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Scores one model on one split of a job's task, with its size and CPU latency. */
public final class ModelEvaluation {
  /**
   * The outcome.
   *
   * @param source where the model came from
   * @param split the split scored
   * @param examples how many examples it holds
   * @param metrics every metric of the task
   * @param parameters the model's weight count
   * @param latencyMs median batch-1 CPU latency at the job's max length
   * @param untrainedHead whether the classifier was freshly initialised (a pretrained encoder)
   */
  public record Result(
      String source,
      String split,
      int examples,
      MetricSet metrics,
      long parameters,
      double latencyMs,
      boolean untrainedHead) {}

  private ModelEvaluation() {}

  /**
   * Loads and scores a model.
   *
   * @param ref a model reference ({@link ModelLocator#reference})
   * @param job the job whose task is scored
   * @param split {@code dev} or {@code test}
   * @return the scores
   * @throws RetortException if the split has no labels or the model does not fit the task
   */
  public static Result evaluate(String ref, ConfigValues job, String split) {
    PathPolicy paths = PathPolicy.unrestricted();
    TaskData task = new TaskResolver(paths).resolve(job);
    Dataset data = "test".equals(split) ? task.test() : task.dev();
    if (data.size() == 0 || !data.isLabelled()) {
      throw new RetortException(
          "--split " + split,
          "the " + split + " split of " + task.name() + " has no labelled examples",
          "Score the dev split, or give the job a labelled test file");
    }
    Torch.noGradOnThisThread();
    Optional<Path> efficientBert = ModelLocator.efficientBertDirectory(ref);
    if (efficientBert.isPresent()) {
      return evaluateEfficientBert(efficientBert.get(), job, task, data, split);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel model =
          new ModelFactory(paths, LoadOptions.defaults())
              .load(
                  ref,
                  "model argument",
                  task,
                  List.of("default"),
                  "auto",
                  PooledActivation.NONE,
                  job.integer("seed"),
                  manager);
      EncodedTask enc = EncodedTask.of(job, model.tokenizer(), model.head().domains());
      MetricSet metrics =
          new Evaluator(task.metric(), 64, enc.buckets())
              .evaluate(model.model(), enc.encode(data), manager);
      double latency = Latency.medianMillis(model.model(), job.intValue("task.max-length"), 3, 15);
      boolean fresh =
          model.report().freshlyInitialized().stream().anyMatch(n -> n.startsWith("classifier"));
      return new Result(
          model.source(), split, data.size(), metrics, model.parameters(), latency, fresh);
    }
  }

  /** Scores an EfficientBERT student (searched FFNs) the way its distillation run scored it. */
  private static Result evaluateEfficientBert(
      Path dir, ConfigValues job, TaskData task, Dataset data, String split) {
    try (NDManager manager = NDManager.newBaseManager()) {
      EfficientBertStudent s = EfficientBertDirectory.read(dir, manager);
      var head = s.model().head();
      if (head.numLabels() != task.numLabels() || head.regression() != task.regression()) {
        throw new RetortException(
            "MODEL " + dir,
            "the EfficientBERT student predicts "
                + head.numLabels()
                + (head.regression() ? " score" : " labels")
                + " but the task "
                + task.name()
                + " has "
                + task.numLabels(),
            "Score the student on the task it was distilled for");
      }
      EncodedTask enc = EncodedTask.of(job, s.tokenizer(), head.domains());
      MetricSet metrics =
          new DevScorer(task.metric(), 64, enc.buckets())
              .evaluate(s.model(), s.model().arch(), enc.encode(data), manager);
      double latency =
          Latency.medianMillis(
              (ps, in) -> s.model().forward(ps, in, Taps.NONE, false).logits(),
              job.intValue("task.max-length"),
              3,
              15);
      return new Result(
          dir.toString(), split, data.size(), metrics, s.parameters(), latency, false);
    }
  }
}

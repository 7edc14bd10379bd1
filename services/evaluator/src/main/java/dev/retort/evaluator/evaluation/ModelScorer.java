package dev.retort.evaluator.evaluation;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Dataset;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.metrics.MetricSet;
import dev.retort.core.run.EncodedTask;
import dev.retort.core.run.Evaluator;
import dev.retort.core.run.Latency;
import dev.retort.core.run.LoadedModel;
import java.util.Map;

/**
 * Scores a model on a job's data with the core {@link Evaluator} (corpus-level metrics) and
 * measures its batch-1 latency with {@link Latency}, exactly as an in-process run does.
 *
 * <p>Inputs are encoded with the model's own tokenizer and heads: a multi-domain model scores
 * each example with its domain's head.
 */
public final class ModelScorer {
  private final int batchSize;
  private final int warmup;
  private final int runs;

  /**
   * Creates a scorer.
   *
   * @param batchSize examples per forward pass
   * @param warmup untimed latency passes
   * @param runs timed latency passes
   */
  public ModelScorer(int batchSize, int warmup, int runs) {
    this.batchSize = batchSize;
    this.warmup = warmup;
    this.runs = runs;
  }

  /**
   * Scores a model.
   *
   * @param data the job and its data
   * @param model the model
   * @param withTest whether to score the test split too (when it is labelled)
   * @param knownLatency the latency measured before for this job and role, or null to measure
   * @param manager a manager for temporaries
   * @param progress called after every batch and every stage (encoding a split, measuring the
   *     latency), on the calling thread, so that a long evaluation is not taken for a wedged one
   * @return the scores
   */
  public Scored score(JobData data, LoadedModel model, boolean withTest, Double knownLatency,
      NDManager manager, Runnable progress) {
    return score(data, model, withTest, knownLatency, null, manager, progress);
  }

  /**
   * Scores a model whose dev scores may be known already: the best checkpoint of a job, scored on
   * dev when it was selected, is scored again only on test at the job's end.
   *
   * @param data the job and its data
   * @param model the model
   * @param withTest whether to score the test split too (when it is labelled)
   * @param knownLatency the latency measured before for this job and role, or null to measure
   * @param knownDev this model's dev scores from an earlier scoring, or null to compute them
   * @param manager a manager for temporaries
   * @param progress called after every batch and every stage
   * @return the scores, with {@code knownDev} as its dev scores when given
   */
  public Scored score(JobData data, LoadedModel model, boolean withTest, Double knownLatency,
      Scored knownDev, NDManager manager, Runnable progress) {
    EncodedTask enc = EncodedTask.of(data.job(), model.tokenizer(), model.head().domains());
    Evaluator evaluator = new Evaluator(data.task().metric(), batchSize, enc.buckets());
    String metric;
    double primary;
    Map<String, Double> devScores;
    if (knownDev != null) {
      metric = knownDev.metric();
      primary = knownDev.primary();
      devScores = knownDev.dev();
    } else {
      EncodedDataset devData = enc.encode(data.task().dev());
      progress.run();
      MetricSet dev = evaluator.evaluate(model.model(), devData, manager, progress);
      metric = dev.selectBy().key();
      primary = dev.selection();
      devScores = dev.byKey();
    }
    Map<String, Double> test = Map.of();
    Dataset t = data.task().test();
    if (withTest && t.size() > 0 && t.isLabelled()) {
      EncodedDataset testData = enc.encode(t);
      progress.run();
      test = evaluator.evaluate(model.model(), testData, manager, progress).byKey();
    }
    double latency = knownLatency != null ? knownLatency : Latency.medianMillis(model.model(),
        data.job().intValue("task.max-length"), warmup, runs);
    progress.run();
    return new Scored(metric, primary, devScores, test, model.parameters(), latency);
  }

  /**
   * Measures a teacher's and a student's batch-1 latency together, their passes interleaved
   * ({@link Latency#pairedMedianMillis}), at the job's max length: the speed-up of a job's result.
   *
   * @param data the job
   * @param teacher the teacher
   * @param student the student
   * @return the teacher's median, then the student's
   */
  public Latency.Pair latencies(JobData data, LoadedModel teacher, LoadedModel student) {
    return Latency.pairedMedianMillis(teacher.model(), student.model(),
        data.job().intValue("task.max-length"), warmup, runs);
  }
}

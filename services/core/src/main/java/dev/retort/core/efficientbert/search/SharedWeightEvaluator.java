package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;

/**
 * Scores a stage-3 candidate on shared weights, without training (reference {@code validate2(...,
 * is_search=True)}, {@code ffn_search.py:562-600}): the size-sharing supernet runs the candidate's
 * sizes (the first A FFNs of each layer, their first m inner units) and its metric on the given
 * split is the fitness.
 *
 * <p>The reference scores on the last 10% of MNLI train; the search runner passes the held-out
 * tail of the task's training split ({@link SearchData#heldOut}), which the supernet did not train
 * on, so dev stays unseen.
 */
public final class SharedWeightEvaluator implements CandidateEvaluator {
  private final EfficientBertModel supernet;
  private final EncodedDataset heldOut;
  private final DevScorer scorer;
  private final NDManager manager;

  /**
   * Creates the evaluator.
   *
   * @param supernet the stage-3 supernet with its head, trained by {@link SharedSizeTraining}
   * @param heldOut the split to score on
   * @param scorer the task's metric
   * @param manager a manager for temporaries
   */
  public SharedWeightEvaluator(
      EfficientBertModel supernet, EncodedDataset heldOut, DevScorer scorer, NDManager manager) {
    this.supernet = supernet;
    this.heldOut = heldOut;
    this.scorer = scorer;
    this.manager = manager;
  }

  /** {@inheritDoc} */
  @Override
  public Fitness evaluate(CandidateSpec spec) {
    long t0 = System.nanoTime();
    EfficientBertArch arch = supernet.arch().withLayerExpressions(spec.layers());
    double value = scorer.evaluate(supernet, arch, heldOut, manager).selection();
    return Fitness.ok(value, arch.paramCount(), (System.nanoTime() - t0) / 1e9);
  }
}

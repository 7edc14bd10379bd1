package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.train.BatchPlan;
import dev.retort.core.train.StepTimer;
import java.util.ArrayList;
import java.util.List;

/**
 * A teacher source that announces the next {@code window} batches of the plan before it hands out
 * a batch's outputs, so that a remote teacher works ahead of the training loop (what {@link
 * dev.retort.core.distill.DistillationStep#withLookahead} does for BERT students).
 */
final class PrefetchingTeacherSource implements TeacherSource {
  private final TeacherSource source;
  private final BatchPlan<Batch> plan;
  private final int window;

  /**
   * Wraps a source.
   *
   * @param source the source (closed with this one)
   * @param plan the batches in training order
   * @param window batches announced ahead; 0 turns prefetching off
   */
  PrefetchingTeacherSource(TeacherSource source, BatchPlan<Batch> plan, int window) {
    this.source = source;
    this.plan = plan;
    this.window = window;
  }

  @Override
  public TeacherOutputs outputs(Batch batch, NDManager manager, StepTimer timer) {
    if (window > 0) {
      List<Batch> next = new ArrayList<>();
      int epoch = batch.epoch();
      int index = batch.index();
      for (int k = 0; k < window; k++) {
        if (++index >= plan.batchesPerEpoch()) {
          index = 0;
          epoch++;
        }
        next.add(plan.batch(epoch, index));
      }
      source.prefetch(next);
    }
    return source.outputs(batch, manager, timer);
  }

  @Override
  public void prefetch(List<Batch> upcoming) {
    source.prefetch(upcoming);
  }

  @Override
  public void close() {
    source.close();
  }
}

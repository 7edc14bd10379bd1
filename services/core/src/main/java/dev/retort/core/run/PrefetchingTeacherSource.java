package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.train.Lookahead;
import dev.retort.core.train.StepTimer;
import java.util.List;

/**
 * A teacher source that announces a batch and the batches that follow it ({@link
 * Lookahead#announce}) before it hands out that batch's outputs, so that a remote teacher works
 * ahead of the training loop (what {@link
 * dev.retort.core.distill.DistillationStep#withLookahead} does for BERT students).
 */
final class PrefetchingTeacherSource implements TeacherSource {
  private final TeacherSource source;
  private final Lookahead<Batch> lookahead;

  /**
   * Wraps a source.
   *
   * @param source the source (closed with this one)
   * @param lookahead the batches to announce after each one; a window of 0 turns prefetching off
   */
  PrefetchingTeacherSource(TeacherSource source, Lookahead<Batch> lookahead) {
    this.source = source;
    this.lookahead = lookahead;
  }

  @Override
  public TeacherOutputs outputs(Batch batch, NDManager manager, StepTimer timer) {
    List<Batch> announced = lookahead.announce(batch, batch.epoch(), batch.index());
    if (!announced.isEmpty()) {
      source.prefetch(announced);
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

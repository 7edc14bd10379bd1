package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Taps;
import dev.retort.core.train.Lookahead;
import dev.retort.core.train.StepFunction;
import dev.retort.core.train.StepTimer;
import dev.retort.core.train.TrainState;
import java.util.function.LongFunction;

/**
 * One single-domain distillation step: teacher outputs for the batch, the student's forward pass
 * with the taps the method needs, and the method's loss. The same class serves in-process runs and
 * the student-training service; only the {@link TeacherSource} and the objective's backends differ.
 */
public final class DistillationStep implements StepFunction<Batch> {
  private final BertForSequenceClassification student;
  private final DistillationObjective objective;
  private final TeacherSource teacher;
  private final LongFunction<Phase> phase;
  private Lookahead<Batch> lookahead;

  /**
   * Creates the step.
   *
   * @param student the student
   * @param objective the method
   * @param teacher where teacher outputs come from
   * @param phase the phase of each step (joint, or TinyBERT's two stages)
   */
  public DistillationStep(
      BertForSequenceClassification student, DistillationObjective objective, TeacherSource teacher, LongFunction<Phase> phase) {
    this.student = student;
    this.objective = objective;
    this.teacher = teacher;
    this.phase = phase;
  }

  /**
   * Announces the next batches to the teacher source before each step, so that a remote teacher
   * computes them while the student trains on the current one.
   *
   * @param lookahead which batches follow each one (at most its window, none past the phase)
   * @return this step
   */
  public DistillationStep withLookahead(Lookahead<Batch> lookahead) {
    this.lookahead = lookahead;
    return this;
  }

  /** {@inheritDoc} */
  @Override
  public LossBreakdown loss(Batch batch, NDManager manager, TrainState state, StepTimer timer) {
    TeacherSelection sel = objective.teacherSelection();
    if (lookahead != null && (sel.needsTaps() || sel.logits())) {
      java.util.List<Batch> announced = lookahead.announce(batch, batch.epoch(), batch.index());
      if (!announced.isEmpty()) {
        teacher.prefetch(announced);
      }
    }
    TeacherOutputs t =
        sel.needsTaps() || sel.logits() ? teacher.outputs(batch, manager, timer) : new TeacherOutputs(java.util.Map.of(), java.util.Map.of(), null);
    BertInput in = BertInput.of(manager, batch.inputIds(), batch.segmentIds(), batch.attentionMask());
    Taps taps = new Taps(!sel.hiddenLayers().isEmpty(), !sel.scoreLayers().isEmpty(), false);
    ParameterStore ps = new ParameterStore(manager, false);
    int domain = student.head().multiDomain() ? batch.domainIds()[0] : 0;
    BertOutputs s = student.forward(ps, in, taps, true, domain);
    return objective.compute(ps, s, t, labels(batch, manager), phase.apply(state.step()), state.step(), timer);
  }

  /** Returns the gold labels of a batch: class ids [B] int64, or scores [B] float32. */
  public static NDArray labels(Batch batch, NDManager manager) {
    if (batch.labels() != null) {
      long[] y = new long[batch.labels().length];
      for (int i = 0; i < y.length; i++) {
        y[i] = batch.labels()[i];
      }
      return manager.create(y);
    }
    return manager.create(batch.targets());
  }

  /** {@inheritDoc} */
  @Override
  public void afterStep(TrainState state) {
    objective.afterStep(state.step());
  }
}

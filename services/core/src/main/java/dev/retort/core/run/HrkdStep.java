package dev.retort.core.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.data.MultiDomainStep;
import dev.retort.core.distill.HiddenProjection;
import dev.retort.core.distill.LossBreakdown;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.distill.hrkd.DomainPass;
import dev.retort.core.distill.hrkd.HrkdObjective;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Taps;
import dev.retort.core.train.StepFunction;
import dev.retort.core.train.StepTimer;
import dev.retort.core.train.TrainState;
import java.util.ArrayList;
import java.util.List;

/**
 * One HRKD step: for every domain, its frozen teacher's outputs and the student's forward pass
 * through that domain's head with per-layer projections; then the {@link HrkdObjective}.
 */
final class HrkdStep implements StepFunction<MultiDomainStep> {
  private final BertForSequenceClassification student;
  private final HiddenProjection projection;
  private final List<TeacherSource> teachers;
  private final HrkdObjective objective;
  private final long snapshotEvery;

  HrkdStep(
      BertForSequenceClassification student, HiddenProjection projection, List<TeacherSource> teachers,
      HrkdObjective objective, long snapshotEvery) {
    this.student = student;
    this.projection = projection;
    this.teachers = teachers;
    this.objective = objective;
    this.snapshotEvery = snapshotEvery;
  }

  @Override
  public LossBreakdown loss(MultiDomainStep step, NDManager manager, TrainState state, StepTimer timer) {
    ParameterStore ps = new ParameterStore(manager, false);
    List<DomainPass> passes = new ArrayList<>();
    for (int d = 0; d < step.batches().size(); d++) {
      Batch b = step.batches().get(d);
      var t = teachers.get(d).outputs(b, manager, timer);
      BertInput in = BertInput.of(manager, b.inputIds(), b.segmentIds(), b.attentionMask());
      BertOutputs s = student.forward(ps, in, Taps.DISTILLATION, true, d);
      List<NDArray> projected = new ArrayList<>();
      for (int l = 0; l < s.hiddenStates().size(); l++) {
        projected.add(projection.forward(ps, l, s.hiddenStates().get(l), true));
      }
      passes.add(new DomainPass(s, projected, t));
    }
    boolean snapshot = snapshotEvery > 0 && (state.step() + 1) % snapshotEvery == 0;
    return objective.compute(passes, manager, state.step(), snapshot, timer);
  }
}

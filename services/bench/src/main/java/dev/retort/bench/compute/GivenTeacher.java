package dev.retort.bench.compute;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.train.StepTimer;
import java.util.ArrayList;
import java.util.List;

/**
 * Teacher outputs computed once and handed to every step: the step-efficiency figure times the
 * student alone. The arrays live in a long-lived manager; each step attaches them to its own
 * manager for the step's duration ({@code tempAttachAll}), so that results of operations whose
 * first operand is a teacher array are freed with the step instead of piling up in the long-lived
 * manager.
 */
public final class GivenTeacher implements TeacherSource {
  private final TeacherOutputs outputs;
  private final NDArray[] arrays;

  /**
   * Creates the source.
   *
   * @param outputs the outputs every batch gets
   */
  public GivenTeacher(TeacherOutputs outputs) {
    this.outputs = outputs;
    List<NDArray> all = new ArrayList<>(outputs.hidden().values());
    all.addAll(outputs.scores().values());
    if (outputs.logits() != null) {
      all.add(outputs.logits());
    }
    this.arrays = all.toArray(NDArray[]::new);
  }

  /** {@inheritDoc} */
  @Override
  public TeacherOutputs outputs(Batch batch, NDManager manager, StepTimer timer) {
    long t0 = System.nanoTime();
    manager.tempAttachAll(arrays);
    timer.add(StepTimer.TEACHER, System.nanoTime() - t0);
    return outputs;
  }
}

package dev.retort.bench.memory;

import ai.djl.ndarray.NDManager;
import dev.retort.bench.wire.TeacherPayloads;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.train.StepTimer;
import dev.retort.proto.v1.TeacherOutput;
import java.util.Map;

/**
 * Teacher outputs as the trainer service gets them: one {@link TeacherOutput} message per batch
 * length, decoded into the step's manager at every step (the trainer's per-step allocation).
 */
public final class WireTeacher implements TeacherSource {
  private final Map<Integer, TeacherOutput> byLength;
  private final TeacherPayloads payloads;

  /**
   * Creates the source.
   *
   * @param byLength the message of each batch length
   * @param payloads decodes them
   */
  public WireTeacher(Map<Integer, TeacherOutput> byLength, TeacherPayloads payloads) {
    this.byLength = Map.copyOf(byLength);
    this.payloads = payloads;
  }

  /** {@inheritDoc} */
  @Override
  public TeacherOutputs outputs(Batch batch, NDManager manager, StepTimer timer) {
    long t0 = System.nanoTime();
    TeacherOutput out = byLength.get(batch.length());
    if (out == null) {
      throw new IllegalStateException(
          "no teacher output for length " + batch.length() + "; have " + byLength.keySet());
    }
    TeacherOutputs t = payloads.decode(out, manager);
    timer.add(StepTimer.TEACHER, System.nanoTime() - t0);
    return t;
  }
}

package dev.retort.core.distill;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.train.StepTimer;

/**
 * Supplies the teacher's side of each batch: computed in-process ({@link LocalTeacher}) or
 * received from the teacher service over Kafka, possibly replayed from an earlier pass.
 */
public interface TeacherSource extends AutoCloseable {

  /**
   * Returns the teacher outputs of a batch, allocated in {@code manager}.
   *
   * @param batch the padded batch
   * @param manager the step's manager
   * @param timer records the wait under {@link StepTimer#TEACHER}
   * @return the selected outputs, constants
   */
  TeacherOutputs outputs(Batch batch, NDManager manager, StepTimer timer);

  /**
   * Announces batches that will be needed soon, so that a remote teacher can work ahead. The local
   * teacher ignores it.
   *
   * @param upcoming the batches, in the order they will be asked for
   */
  default void prefetch(java.util.List<Batch> upcoming) {}

  @Override
  default void close() {}
}

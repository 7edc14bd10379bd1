package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * A distillation term that compares one student tensor with one teacher tensor.
 *
 * <p>As a DJL {@link Loss}, {@code labels} holds the teacher tensor and {@code predictions} the
 * student's. The teacher side is a constant: it carries no gradient.
 */
public abstract class PairLoss extends Loss {

  /**
   * Creates a term.
   *
   * @param name the display name, also the metric tag (e.g. {@code att})
   */
  protected PairLoss(String name) {
    super(name);
  }

  /**
   * Computes the term.
   *
   * @param student the student tensor (differentiable)
   * @param teacher the teacher tensor (constant), same shape
   * @return a scalar
   */
  public abstract NDArray compute(NDArray student, NDArray teacher);

  /** {@inheritDoc} */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return compute(predictions.singletonOrThrow(), labels.singletonOrThrow());
  }

  /** Fails with both shapes if they differ. */
  protected static void requireSameShape(String term, NDArray student, NDArray teacher) {
    if (!student.getShape().equals(teacher.getShape())) {
      throw new IllegalArgumentException(
          term
              + ": student shape "
              + student.getShape()
              + " does not match teacher shape "
              + teacher.getShape());
    }
  }
}

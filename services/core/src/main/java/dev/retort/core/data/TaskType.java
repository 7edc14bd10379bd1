package dev.retort.core.data;

/** Whether a task predicts a class or a real number. */
public enum TaskType {
  /** One of C classes; labels map to ids through a {@link LabelMap}. */
  CLASSIFICATION,
  /** A real-valued target (STS-B similarity 0 to 5); the label string is a float. */
  REGRESSION
}

package dev.retort.trainer.messaging;

/** Which jobs their users cancelled, as the request loop asks about them. */
public interface Cancellations {
  /** Returns whether a job was cancelled. */
  boolean isCancelled(String jobId);

  /** Forgets a job's cancellation once it ended. */
  void clear(String jobId);
}

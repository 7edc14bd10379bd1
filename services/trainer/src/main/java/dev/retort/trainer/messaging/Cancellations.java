package dev.retort.trainer.messaging;

/** Which jobs their users cancelled, as the request loop asks about them. */
public interface Cancellations {
  /** Returns whether a job was cancelled. */
  boolean isCancelled(String jobId);

  /** Forgets a job's cancellation once it ended. */
  void clear(String jobId);

  /**
   * Returns whether the cancels published before this replica started have been read, so that a
   * job cancelled while no trainer ran is not started first.
   */
  boolean caughtUp();
}

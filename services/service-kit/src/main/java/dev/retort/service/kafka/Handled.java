package dev.retort.service.kafka;

/**
 * What became of one record of a request channel: whether its offset may be committed ({@link
 * RecordSettler}).
 */
public enum Handled {
  /** Served, skipped as a duplicate, or set aside on the dead-letter topic: commit it. */
  DONE,
  /**
   * Failed for a reason that passes: a send not acknowledged in time, a retriable Kafka error, a
   * dead letter the broker did not take. Handle it again after a back-off; if it keeps failing,
   * leave it uncommitted so that it is delivered again. Never dead-lettered.
   */
  RETRY
}

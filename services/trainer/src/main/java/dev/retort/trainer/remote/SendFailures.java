package dev.retort.trainer.remote;

import dev.retort.core.RetortException;
import dev.retort.messaging.Topics;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Explains a request the producer could not send, for the step that waits for its answer: that
 * step fails at once, saying what was too large and what to change, instead of waiting out its
 * timeout and blaming the service that never saw the request.
 */
final class SendFailures {
  /** What the broker's and producer's default limit on a request is. */
  private static final String DEFAULT_LIMIT = "1 MiB by default";

  private SendFailures() {}

  /**
   * The failure of a teacher request.
   *
   * @param where the job and batch
   * @param bytes the request's size
   * @param examples the batch's examples
   * @param tokens the batch's padded length
   * @param error the producer's error
   */
  static RetortException teacherRequest(String where, int bytes, int examples, int tokens, Exception error) {
    if (error instanceof RecordTooLargeException) {
      return new RetortException(where,
          "its teacher request (" + bytes + " bytes for " + examples + " examples x " + tokens + " tokens) is"
              + " over the producer's or the broker's limit on a message: " + error.getMessage(),
          "Lower the job's batch-size (distill.training.batch-size, teacher.training.batch-size) or"
              + " task.max-length: a teacher request carries about 24 bytes per token, so batch-size x"
              + " max-length must stay under about 43,000 tokens at the limit of " + DEFAULT_LIMIT
              + "; or raise max.request.size in the trainer's Kafka properties and max.message.bytes of "
              + Topics.TEACHER_REQUESTS);
    }
    return new RetortException(where, "its teacher request could not be sent: " + error,
        "Check that the broker is reachable and " + Topics.TEACHER_REQUESTS
            + " exists; the trainer's log has the producer's errors");
  }

  /**
   * The failure of a loss request.
   *
   * @param where the job and step
   * @param kind {@code emd} or {@code graph}
   * @param bytes the request's size
   * @param error the producer's error
   */
  static RetortException lossRequest(String where, String kind, int bytes, Exception error) {
    if (error instanceof RecordTooLargeException) {
      return new RetortException(where,
          "its " + kind + " loss request (" + bytes + " bytes) is over the producer's or the broker's limit"
              + " on a message: " + error.getMessage(),
          "Lower the job's distill.training.batch-size or task.max-length, or raise max.request.size in the"
              + " trainer's Kafka properties and max.message.bytes of " + Topics.LOSS_REQUESTS
              + " (" + DEFAULT_LIMIT + ")");
    }
    return new RetortException(where, "its " + kind + " loss request could not be sent: " + error,
        "Check that the broker is reachable and " + Topics.LOSS_REQUESTS
            + " exists; the trainer's log has the producer's errors");
  }
}

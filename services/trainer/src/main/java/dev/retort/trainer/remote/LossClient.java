package dev.retort.trainer.remote;

import dev.retort.core.RetortException;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.LossRequest;
import dev.retort.proto.v1.SchemaVersion;
import dev.retort.trainer.messaging.LossReplies;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Request and reply with the loss service over Kafka. The request id is {@code
 * <job>/<step>/<kind>}, the same after a restart, so the service recognises a repeated request and
 * answers it again from its state instead of computing twice.
 */
public final class LossClient {
  /** How long to wait before sending a request again. */
  static final Duration RESEND = Duration.ofSeconds(20);

  private final String jobId;
  private final Producer<String, byte[]> producer;
  private final LossReplies replies;
  private final Duration timeout;

  /**
   * Creates the client of one job.
   *
   * @param jobId the job
   * @param producer publishes requests
   * @param replies collects replies
   * @param timeout how long a reply may take
   */
  public LossClient(String jobId, Producer<String, byte[]> producer, LossReplies replies, Duration timeout) {
    this.jobId = jobId;
    this.producer = producer;
    this.replies = replies;
    this.timeout = timeout;
  }

  /**
   * Sends a request and waits for its reply.
   *
   * @param step the optimiser step
   * @param kind {@code emd} or {@code graph}
   * @param request the request, without envelope fields
   * @return the reply
   * @throws RetortException on timeout or when the service answers with an error
   */
  public LossReply call(long step, String kind, LossRequest.Builder request) {
    String id = jobId + "/" + step + "/" + kind;
    CompletableFuture<LossReply> future = replies.expect(id, timeout);
    LossRequest r = request.setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1).setJobId(jobId).setStep(step).setRequestId(id).build();
    LossReply reply = null;
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] bytes = r.toByteArray();
    try {
      // Send, and send again every RESEND while no reply came: a loss service that restarted after
      // reading the request but before answering answers the copy (the id makes repeats harmless).
      while (reply == null) {
        producer.send(new ProducerRecord<>(Topics.LOSS_REQUESTS, jobId, bytes), (metadata, error) -> {
          if (error != null) {
            // The step fails at once with what to change, not after the timeout.
            future.completeExceptionally(SendFailures.lossRequest("job " + jobId + ", step " + step, kind, bytes.length, error));
          }
        });
        long wait = Math.min(RESEND.toNanos(), deadline - System.nanoTime());
        if (wait <= 0) {
          throw new TimeoutException();
        }
        try {
          reply = future.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException again) {
          if (System.nanoTime() >= deadline) {
            throw again;
          }
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetortException unsent) {
        throw unsent;
      }
      throw noReply(step, kind);
    } catch (TimeoutException e) {
      throw noReply(step, kind);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the loss service", e);
    }
    if (reply.hasError()) {
      throw new RetortException("job " + jobId + ", step " + step, "the loss service failed: " + reply.getError(), "See the loss service's log");
    }
    return reply;
  }

  private RetortException noReply(long step, String kind) {
    return new RetortException(
        "job " + jobId + ", step " + step,
        "the loss service did not answer the " + kind + " request within " + timeout.toSeconds() + " s",
        "Check that a loss service is running and healthy");
  }
}

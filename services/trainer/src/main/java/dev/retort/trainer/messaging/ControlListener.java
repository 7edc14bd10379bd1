package dev.retort.trainer.messaging;

import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobControl;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads {@value Topics#JOB_CONTROL} from its beginning and remembers which jobs were cancelled; a
 * running job polls {@link #isCancelled} before every step.
 *
 * <p>From the beginning, not from the end: a cancel published while no trainer ran, or while the
 * replica that will run the job restarted, is still seen, and the job is cancelled instead of
 * resumed. No consumer group: every replica needs every cancel, since any of them may run the job
 * next. The topic keeps records for the broker's retention ({@code cleanup.policy=delete}, like
 * {@value Topics#JOB_REQUESTS}; see {@code Topics.specs} and {@code deploy/kafka/topics.yaml}), so
 * a cancel lasts as long as a request can wait to be run; reading the whole topic at start-up is
 * cheap, as it holds one small record per cancel.
 */
public final class ControlListener implements Cancellations, AutoCloseable {
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final TopicTail tail;

  /**
   * Starts listening.
   *
   * @param clients the client factory
   */
  public ControlListener(KafkaClients clients) {
    this(clients, (r, reason) -> { });
  }

  /**
   * Starts listening, reporting commands that do not parse.
   *
   * @param clients the client factory
   * @param bad receives records that do not parse, with the reason
   */
  public ControlListener(KafkaClients clients,
      java.util.function.BiConsumer<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>, String> bad) {
    ProtoSerde<JobControl> serde = ProtoSerde.of(JobControl.getDefaultInstance());
    this.tail = new TopicTail(clients.assignedConsumer("control"), Topics.JOB_CONTROL, TopicTail.Start.BEGINNING,
        r -> {
          var d = serde.decode(r.value());
          if (d.isOk() && d.value().hasCancel()) {
            cancelled.add(d.value().getJobId());
          } else if (!d.isOk()) {
            bad.accept(r, d.reason());
          } else {
            bad.accept(r, "a control message without a command");
          }
        }, "job-control");
  }

  /** {@inheritDoc} */
  @Override
  public boolean isCancelled(String jobId) {
    return cancelled.contains(jobId);
  }

  /** Cancels a job from inside this replica (a revoked partition). */
  public void cancelLocally(String jobId) {
    cancelled.add(jobId);
  }

  /** {@inheritDoc} */
  @Override
  public void clear(String jobId) {
    cancelled.remove(jobId);
  }

  /** {@inheritDoc} */
  @Override
  public boolean caughtUp() {
    return tail.caughtUp();
  }

  /** Returns whether the listener thread is alive. */
  public boolean alive() {
    return tail.alive();
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    tail.close();
  }
}

package dev.retort.trainer.messaging;

import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.ReplyWaiter;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.LossReply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Collects the loss service's replies ({@value Topics#LOSS_REPLIES}) and hands each to the step
 * waiting for its request id; duplicates and replies nobody waits for are counted and dropped.
 */
public final class LossReplies implements AutoCloseable {
  private final ReplyWaiter<String, LossReply> waiter;
  private final TopicTail tail;

  /**
   * Starts reading replies from now on.
   *
   * @param clients the client factory
   * @param timeout default wait
   */
  public LossReplies(KafkaClients clients, Duration timeout) {
    this(clients, timeout, (r, reason) -> { });
  }

  /**
   * Starts reading replies from now on, reporting records that do not parse.
   *
   * @param clients the client factory
   * @param timeout default wait
   * @param bad receives records that do not parse, with the reason
   */
  public LossReplies(KafkaClients clients, Duration timeout,
      java.util.function.BiConsumer<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>, String> bad) {
    this.waiter = new ReplyWaiter<>("loss reply", timeout);
    ProtoSerde<LossReply> serde = ProtoSerde.of(LossReply.getDefaultInstance());
    this.tail = new TopicTail(clients.assignedConsumer("loss-replies"), Topics.LOSS_REPLIES, TopicTail.Start.END,
        r -> {
          var d = serde.decode(r.value());
          if (d.isOk()) {
            waiter.complete(d.value().getRequestId(), d.value());
          } else {
            bad.accept(r, d.reason());
          }
        }, "loss-replies");
  }

  /** Registers interest in a reply before the request is sent. */
  public CompletableFuture<LossReply> expect(String requestId, Duration timeout) {
    return waiter.register(requestId, timeout);
  }

  /** Returns the number of duplicate replies seen. */
  public long duplicates() {
    return waiter.duplicates();
  }

  /** Returns whether the reading thread is alive. */
  public boolean alive() {
    return tail.alive();
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    tail.close();
    waiter.close();
  }
}

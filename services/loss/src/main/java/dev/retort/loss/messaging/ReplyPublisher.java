package dev.retort.loss.messaging;

import dev.retort.loss.config.LossConfig;
import dev.retort.loss.config.Instance;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.LossReply;
import dev.retort.service.kafka.ClientMetrics;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.service.kafka.ServiceProducer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Sends replies (key = job id, {@value Topics#LOSS_REPLIES}) and job events with the service's
 * one idempotent producer, waiting for each acknowledgement, so a request is committed only once
 * its reply is durable. The producer also carries the dead letters ({@link #producer()}).
 */
@Singleton
public class ReplyPublisher extends ServiceProducer {
  /**
   * Creates the publisher.
   *
   * @param clients the client factory
   * @param config the service settings
   * @param instance this replica
   * @param clientMetrics binds the producer's metrics
   */
  @Inject
  public ReplyPublisher(KafkaClients clients, LossConfig config, Instance instance,
      ClientMetrics clientMetrics) {
    super(clients, instance, clientMetrics, config.publishing().timeout());
  }

  /**
   * Sends a reply and waits for the acknowledgement.
   *
   * @param reply the reply
   * @throws IllegalStateException if the send fails or times out
   */
  public void reply(LossReply reply) {
    send(Topics.LOSS_REPLIES, reply.getJobId(), reply.toByteArray());
  }
}

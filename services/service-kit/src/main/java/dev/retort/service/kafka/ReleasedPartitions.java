package dev.retort.service.kafka;

import dev.retort.service.health.HandlerWatch;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request channels' rebalance listener: when a partition is revoked or lost, the records left
 * uncommitted on it ({@link RecordSettler}) are no longer this replica's. The replica assigned the
 * partition next is delivered them again, so they must not keep this replica's liveness check
 * waiting for a restart that would redeliver nothing.
 *
 * <p>Each service names it on its request channel: {@code
 * mp.messaging.incoming.<channel>.consumer-rebalance-listener.name=}{@value #NAME}. A name that
 * no bean carries stops the service at start-up, so a typo cannot go unnoticed.
 */
@ApplicationScoped
@Identifier(ReleasedPartitions.NAME)
public class ReleasedPartitions implements KafkaConsumerRebalanceListener {
  /** The name the channels' {@code consumer-rebalance-listener.name} gives. */
  public static final String NAME = "retort-released-partitions";

  private static final Logger LOG = LoggerFactory.getLogger(ReleasedPartitions.class);

  private final HandlerWatch watch;

  /**
   * Creates the listener.
   *
   * @param watch the liveness watch that tracks the records left uncommitted
   */
  @Inject
  public ReleasedPartitions(HandlerWatch watch) {
    this.watch = watch;
  }

  @Override
  public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    release(partitions, "revoked");
  }

  @Override
  public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    release(partitions, "lost");
  }

  private void release(Collection<TopicPartition> partitions, String how) {
    for (TopicPartition p : partitions) {
      watch.partitionReleased(p.topic(), p.partition());
    }
    if (!partitions.isEmpty()) {
      LOG.debug("Partitions {} {}: their records left uncommitted are another replica's now", partitions, how);
    }
  }
}

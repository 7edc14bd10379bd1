package dev.retort.trainer.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the offsets of handled requests, and keeps a commit that failed (a broker outage, a
 * rebalance in progress) to try again on the next loop, so that a failed commit never stops the
 * request loop.
 *
 * <p>A commit that is never made is harmless: the request is delivered again, and the job's state
 * in the artifact store shows that it already ran. A partition this replica lost ({@link
 * CommitFailedException}, or {@link #drop} on revocation) is left to its new owner.
 */
final class OffsetCommits {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetCommits.class);

  private final Consumer<String, byte[]> consumer;
  /** The commits that failed, by partition: the next offset to read. */
  private final Map<TopicPartition, OffsetAndMetadata> owed = new HashMap<>();

  OffsetCommits(Consumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  /** Commits the offset after a handled request, or keeps it for {@link #retry} if that fails. */
  void commit(ConsumerRecord<String, byte[]> r) {
    TopicPartition p = new TopicPartition(r.topic(), r.partition());
    OffsetAndMetadata next = new OffsetAndMetadata(r.offset() + 1);
    OffsetAndMetadata before = owed.get(p);
    if (before == null || before.offset() < next.offset()) {
      owed.put(p, next);
    }
    retry();
  }

  /** Tries the commits that failed before again; returns whether none is left. */
  boolean retry() {
    if (owed.isEmpty()) {
      return true;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(owed);
    try {
      consumer.commitSync(offsets);
      owed.keySet().removeAll(offsets.keySet());
      return true;
    } catch (WakeupException e) {
      throw e; // shutting down: the loop ends, the requests are delivered again
    } catch (CommitFailedException e) {
      LOG.warn("could not commit {}: this replica no longer owns the partitions; their new owner"
          + " receives the requests again and skips the jobs that already ran ({})", offsets, e.getMessage());
      owed.keySet().removeAll(offsets.keySet());
      return false;
    } catch (KafkaException e) {
      LOG.warn("could not commit {} ({}): trying again on the next poll; check the broker if this"
          + " repeats", offsets, e.toString());
      return false;
    }
  }

  /** Forgets the commits owed for partitions this replica lost. */
  void drop(Collection<TopicPartition> partitions) {
    owed.keySet().removeAll(partitions);
  }

  /** Returns how many partitions have a commit owed. */
  int owed() {
    return owed.size();
  }
}

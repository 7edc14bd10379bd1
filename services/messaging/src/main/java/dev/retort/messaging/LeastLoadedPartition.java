package dev.retort.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the partition of {@value Topics#JOB_REQUESTS} whose trainer replica has the least work
 * queued, so that jobs submitted together (a search population, students sharing a teacher pass)
 * spread over the replicas instead of following the hash of their ids.
 *
 * <p>A replica runs one job at a time and commits a request only when its job ends, so a
 * partition's pending count, {@code end offset − committed offset}, counts the running job and the
 * queued ones. The replica (group member) with the smallest sum over its partitions wins (ties: the
 * member owning the lowest partition), and within it the partition with the fewest pending (ties:
 * the lowest index). Without a member, or when the broker does not answer in time, there is no
 * choice and the producer's key hash decides, as for any other client.
 */
public final class LeastLoadedPartition {
  private static final Logger LOG = LoggerFactory.getLogger(LeastLoadedPartition.class);

  private final Admin admin;
  private final String topic;
  private final String groupId;
  private final Duration timeout;

  /**
   * Creates the chooser.
   *
   * @param admin the cluster's admin client (not closed here)
   * @param topic the requests topic
   * @param groupId the trainers' consumer group
   * @param timeout how long each admin call may take
   */
  public LeastLoadedPartition(Admin admin, String topic, String groupId, Duration timeout) {
    this.admin = admin;
    this.topic = topic;
    this.groupId = groupId;
    this.timeout = timeout;
  }

  /**
   * Asks the cluster which partition to use next.
   *
   * @return the partition, or empty to let the key hash decide
   */
  public OptionalInt next() {
    try {
      ConsumerGroupDescription group =
          admin.describeConsumerGroups(List.of(groupId)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(groupId);
      Map<String, Set<Integer>> owned = new TreeMap<>();
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (MemberDescription m : group.members()) {
        for (TopicPartition tp : m.assignment().topicPartitions()) {
          if (tp.topic().equals(topic)) {
            owned.computeIfAbsent(m.consumerId(), k -> new TreeSet<>()).add(tp.partition());
            ends.put(tp, OffsetSpec.latest());
          }
        }
      }
      if (ends.isEmpty()) {
        return OptionalInt.empty();
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
          admin.listOffsets(ends).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<Integer, Long> pending = new HashMap<>();
      for (var e : end.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        long done = c == null ? 0 : c.offset();
        pending.put(e.getKey().partition(), Math.max(0, e.getValue().offset() - done));
      }
      OptionalInt chosen = choose(owned, pending);
      LOG.debug("{}: pending by partition {}, members {}: partition {}", topic, pending, owned.values(), chosen);
      return chosen;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    } catch (Exception e) {
      LOG.warn("no partition choice for {} (the key hash decides): {}", topic, e.toString());
      return OptionalInt.empty();
    }
  }

  /**
   * The choice itself, on the group's assignment and the partitions' pending requests.
   *
   * @param owned each member's partitions of the topic
   * @param pending pending requests by partition (missing: 0)
   * @return the partition, or empty when no member owns one
   */
  static OptionalInt choose(Map<String, Set<Integer>> owned, Map<Integer, Long> pending) {
    long bestLoad = Long.MAX_VALUE;
    int bestFirst = Integer.MAX_VALUE;
    Set<Integer> best = null;
    for (Set<Integer> parts : owned.values()) {
      if (parts.isEmpty()) {
        continue;
      }
      long load = parts.stream().mapToLong(p -> pending.getOrDefault(p, 0L)).sum();
      int first = parts.stream().mapToInt(Integer::intValue).min().orElseThrow();
      if (load < bestLoad || (load == bestLoad && first < bestFirst)) {
        bestLoad = load;
        bestFirst = first;
        best = parts;
      }
    }
    if (best == null) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(
        best.stream()
            .min((a, b) -> {
              int c = Long.compare(pending.getOrDefault(a, 0L), pending.getOrDefault(b, 0L));
              return c != 0 ? c : Integer.compare(a, b);
            })
            .orElseThrow());
  }
}

package dev.retort.messaging.testing;

import dev.retort.messaging.ClientConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/** Writes and reads records of a real broker in tests. */
public final class Records {
  private Records() {}

  /** Sends one record and returns where it landed. */
  public static RecordMetadata send(String bootstrap, String topic, String key, byte[] value)
      throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(ClientConfigs.producer(bootstrap, "test-producer", Map.of()))) {
      return p.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Reads a topic from the beginning until the records read so far satisfy a condition.
   *
   * @return every record read
   * @throws AssertionError if the condition is not met in time
   */
  public static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrap, String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(ClientConfigs.assignedConsumer(
        bootstrap, "test-reader", Map.of("auto.offset.reset", "earliest")))) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
        if (done.test(out)) {
          return out;
        }
      }
    }
    throw new AssertionError("no matching records on " + topic + " within " + timeout
        + "; read " + out.size());
  }

  /** Reads a topic to its current end. */
  public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(ClientConfigs.assignedConsumer(
        bootstrap, "test-reader", Map.of("auto.offset.reset", "earliest")))) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline
          && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}

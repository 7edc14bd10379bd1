package dev.retort.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DeadLetter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What the services' channel tests check about a record they hand to a channel: whether it was
 * acknowledged (committed), and the dead letters sent for it.
 */
public final class ChannelChecks {
  /** How long {@link #awaitTrue} waits. */
  private static final Duration ACK_WAIT = Duration.ofSeconds(10);

  private ChannelChecks() {}

  /**
   * Returns a message of a record that sets {@code acked} when the service acknowledges it.
   *
   * @param record the record, as the connector would deliver it
   * @param acked set on acknowledgement
   * @return the message
   */
  public static Message<ConsumerRecord<String, byte[]>> tracked(
      ConsumerRecord<String, byte[]> record, AtomicBoolean acked) {
    return Message.of(record, () -> {
      acked.set(true);
      return CompletableFuture.completedFuture(null);
    });
  }

  /**
   * Waits up to 10 s for a flag, then asserts that it is set.
   *
   * @param flag the flag, e.g. of {@link #tracked}
   * @throws InterruptedException if interrupted while waiting
   */
  public static void awaitTrue(AtomicBoolean flag) throws InterruptedException {
    long deadline = System.nanoTime() + ACK_WAIT.toNanos();
    while (!flag.get() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(flag).isTrue();
  }

  /**
   * Returns the dead letters among sent records that name a record of the source topic.
   *
   * @param sent the records the service sent
   * @param partition the source record's partition
   * @param offset the source record's offset
   * @return its dead letters, in the order sent
   */
  public static List<DeadLetter> deadLetters(
      List<ProducerRecord<String, byte[]>> sent, int partition, long offset) {
    ProtoSerde<DeadLetter> serde = ProtoSerde.of(DeadLetter.getDefaultInstance());
    return sent.stream()
        .filter(r -> r.topic().equals(Topics.DEAD_LETTERS))
        .map(r -> serde.parse(r.value()))
        .filter(l -> l.getSourcePartition() == partition && l.getSourceOffset() == offset)
        .toList();
  }
}

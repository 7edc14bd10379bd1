package dev.retort.messaging.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DeadLetter;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class AwaitedDeadLettersTest {
  private final MockProducer<String, byte[]> mock =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final RecordingLogger log = new RecordingLogger();
  private final AtomicInteger asked = new AtomicInteger();
  private final AtomicInteger published = new AtomicInteger();
  private final AwaitedDeadLetters letters = AwaitedDeadLetters.builder(() -> {
    asked.incrementAndGet();
    return mock;
  }).setService("loss-a").setLogger(log.logger()).optMaxValueBytes(2)
      .optOnPublished(published::incrementAndGet).build();

  private static ConsumerRecord<String, byte[]> record() {
    return new ConsumerRecord<>("retort.loss.requests.v1", 3, 42L, "job-1", new byte[] {1, 2, 3});
  }

  @Test
  void deadLettersCarryOriginAndReasonAndAreCountedOnceAcknowledged() throws Exception {
    assertThat(asked).hasValue(0); // the producer is asked for at the first dead letter only

    assertThat(letters.publish(record(), "bad tensor")).isTrue();
    assertThat(letters.publish(record(), "bad tensor")).isTrue();

    assertThat(asked).hasValue(1);
    assertThat(published).hasValue(2);
    assertThat(mock.history()).hasSize(2);
    assertThat(mock.history().get(0).topic()).isEqualTo(Topics.DEAD_LETTERS);
    assertThat(mock.history().get(0).key()).isEqualTo("job-1");
    DeadLetter letter = DeadLetter.parseFrom(mock.history().get(0).value());
    assertThat(letter.getService()).isEqualTo("loss-a");
    assertThat(letter.getReason()).isEqualTo("bad tensor");
    assertThat(letter.getSourceOffset()).isEqualTo(42L);
    assertThat(letter.getValue().toByteArray()).containsExactly(1, 2);
    assertThat(letter.getValueTruncated()).isTrue();
    assertThat(log.lines()).noneMatch(l -> l.startsWith("ERROR"));
  }

  @Test
  void aDeadLetterThatCannotBeSentIsReportedLoggedNotCountedNotThrown() {
    mock.sendException = new IllegalStateException("broker gone");

    assertThat(letters.publish(record(), "bad tensor")).as("not acknowledged").isFalse();

    assertThat(published).hasValue(0);
    assertThat(log.lines()).containsExactly("ERROR Could not publish the dead letter of "
        + "retort.loss.requests.v1-3@42 (bad tensor): java.util.concurrent.ExecutionException: "
        + "java.lang.IllegalStateException: broker gone; the record is left uncommitted, to be"
        + " delivered again");
  }

  @Test
  void theLoggerIsRequired() {
    assertThatThrownBy(() -> AwaitedDeadLetters.builder(() -> mock).setService("x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setLogger");
  }
}

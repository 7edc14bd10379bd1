package dev.retort.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.service.health.HandlerWatch;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RecordSettlerTest {
  private final HandlerWatch watch = new HandlerWatch();
  private final AtomicInteger retried = new AtomicInteger();
  private final AtomicInteger uncommitted = new AtomicInteger();
  private final RecordSettler settler = RecordSettler.builder(watch)
      .setRetries(2, Duration.ofMillis(10))
      .setLogger(LoggerFactory.getLogger(RecordSettlerTest.class))
      .optOnRetry(retried::incrementAndGet)
      .optOnUncommitted(uncommitted::incrementAndGet)
      .build();
  private final ConsumerRecord<String, byte[]> record =
      new ConsumerRecord<>("retort.loss.requests.v1", 3, 42L, "job-1", new byte[] {1});

  @Test
  void aRecordHandledOrDeadLetteredIsAcknowledgedAtOnce() {
    assertThat(settler.settle(record, r -> Handled.DONE)).isTrue();
    assertThat(retried).hasValue(0);
    assertThat(watch.busyNanos()).as("no longer in hand").isZero();
  }

  @Test
  void aTransientFailureIsHandledAgainAfterABackOffAndThenAcknowledged() {
    ArrayDeque<Handled> outcomes = new ArrayDeque<>(List.of(Handled.RETRY, Handled.DONE));
    assertThat(settler.settle(record, r -> outcomes.poll())).isTrue();
    assertThat(retried).hasValue(1);
    assertThat(uncommitted).hasValue(0);
    assertThat(watch.uncommittedNanos()).isZero();
  }

  @Test
  void aRecordThatKeepsFailingForATransientReasonIsLeftUncommittedAndCounted() {
    AtomicInteger attempts = new AtomicInteger();
    assertThat(settler.settle(record, r -> {
      attempts.incrementAndGet();
      return Handled.RETRY;
    })).as("not acknowledged: delivered again, not lost").isFalse();
    assertThat(attempts).hasValue(3); // the first attempt and two retries
    assertThat(retried).hasValue(2);
    assertThat(uncommitted).hasValue(1);
    assertThat(watch.uncommittedNanos()).as("the liveness check sees it").isPositive();

    // Delivered again after a rebalance, and served: it no longer waits.
    assertThat(settler.settle(record, r -> Handled.DONE)).isTrue();
    assertThat(watch.uncommittedNanos()).isZero();
  }

  @Test
  void aHandlerThatThrowsLeavesTheRecordUncommittedInsteadOfLosingIt() {
    assertThat(settler.settle(record, r -> {
      throw new OutOfMemoryError("thrown by the test");
    })).isFalse();
    assertThat(uncommitted).hasValue(1);
  }

  @Test
  void theRetriesAndTheLoggerAreRequired() {
    assertThatThrownBy(() -> RecordSettler.builder(watch)
        .setLogger(LoggerFactory.getLogger(RecordSettlerTest.class)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setRetries");
    assertThatThrownBy(() -> RecordSettler.builder(watch).setRetries(1, Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setLogger");
  }
}

package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

  @Test
  void aSendNotAcknowledgedInTimeOrARetriableKafkaErrorPassesWithTime() {
    assertThat(TransientFailures.isTransient(new IllegalStateException(
        "the output was not acknowledged within 60 s", new TimeoutException()))).isTrue();
    assertThat(TransientFailures.isTransient(new IllegalStateException("cannot send",
        new ExecutionException(new NotEnoughReplicasException("2 of 3 replicas"))))).isTrue();
    assertThat(TransientFailures.isTransient(new org.apache.kafka.common.errors.TimeoutException(
        "metadata not available"))).isTrue();
    assertThat(TransientFailures.isTransient(new IllegalStateException("interrupted",
        new InterruptedException()))).isTrue();
  }

  @Test
  void aRecordTooLargeOrABadRecordIsTheRecordsOwn() {
    assertThat(TransientFailures.isTransient(new IllegalStateException("cannot send",
        new ExecutionException(new RecordTooLargeException("2 MB"))))).isFalse();
    assertThat(TransientFailures.isTransient(new BadMessageException("hidden", "bad shape")))
        .isFalse();
    assertThat(TransientFailures.isTransient(new OutOfMemoryError())).isFalse();
  }
}

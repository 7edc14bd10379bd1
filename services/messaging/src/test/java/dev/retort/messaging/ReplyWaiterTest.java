package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplyWaiterTest {
  private final ReplyWaiter<String, String> waiter =
      new ReplyWaiter<>("loss reply", Duration.ofSeconds(30));

  @AfterEach
  void close() {
    waiter.close();
  }

  @Test
  void replyCompletesTheWaitingRequest() throws Exception {
    CompletableFuture<String> reply = waiter.register("r1");

    assertThat(waiter.pending()).isEqualTo(1);
    assertThat(waiter.complete("r1", "flows")).isEqualTo(ReplyWaiter.Outcome.COMPLETED);
    assertThat(reply.get(1, TimeUnit.SECONDS)).isEqualTo("flows");
    assertThat(waiter.pending()).isZero();
  }

  @Test
  void duplicateRepliesAreIgnoredAndCounted() throws Exception {
    CompletableFuture<String> reply = waiter.register("r1");
    waiter.complete("r1", "first");

    assertThat(waiter.complete("r1", "second")).isEqualTo(ReplyWaiter.Outcome.DUPLICATE);
    assertThat(waiter.complete("r1", "third")).isEqualTo(ReplyWaiter.Outcome.DUPLICATE);

    assertThat(reply.get()).isEqualTo("first");
    assertThat(waiter.duplicates()).isEqualTo(2);
    assertThat(waiter.unknown()).isZero();
  }

  @Test
  void repliesForUnknownIdsAreIgnoredAndCounted() {
    assertThat(waiter.complete("never-asked", "x")).isEqualTo(ReplyWaiter.Outcome.UNKNOWN);
    assertThat(waiter.unknown()).isEqualTo(1);
  }

  @Test
  void timeoutNamesWhatWasAwaitedAndLateReplyIsCounted() {
    CompletableFuture<String> reply = waiter.register("step-12/emd", Duration.ofMillis(50));

    assertThatThrownBy(() -> reply.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(TimeoutException.class)
        .hasMessage("no loss reply for 'step-12/emd' within 50 ms");
    assertThat(waiter.timeouts()).isEqualTo(1);
    assertThat(waiter.complete("step-12/emd", "late")).isEqualTo(ReplyWaiter.Outcome.LATE);
    assertThat(waiter.late()).isEqualTo(1);
    assertThat(waiter.pending()).isZero();
  }

  @Test
  void registeringAnIdTwiceIsABug() {
    waiter.register("r1");

    assertThatThrownBy(() -> waiter.register("r1"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("awaited already");
  }

  @Test
  void failingARequestFailsItsFuture() {
    CompletableFuture<String> reply = waiter.register("r1");

    assertThat(waiter.fail("r1", new IllegalStateException("loss service: bad matrix")))
        .isTrue();

    assertThatThrownBy(reply::get).hasRootCauseMessage("loss service: bad matrix");
    assertThat(waiter.fail("r1", new IllegalStateException())).isFalse();
  }

  @Test
  void cancelledWaitStopsWaiting() {
    CompletableFuture<String> reply = waiter.register("r1");

    reply.cancel(false);

    assertThat(waiter.pending()).isZero();
    assertThat(waiter.complete("r1", "x")).isEqualTo(ReplyWaiter.Outcome.UNKNOWN);
  }

  @Test
  void closeCancelsEveryWait() {
    CompletableFuture<String> reply = waiter.register("r1");

    waiter.close();

    assertThatThrownBy(reply::join).isInstanceOf(CancellationException.class);
  }
}

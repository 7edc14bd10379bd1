package dev.retort.service.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HandlerWatchTest {

  @Test
  void theOldestRequestInHandSetsTheBusyTime() throws Exception {
    HandlerWatch watch = new HandlerWatch();
    assertThat(watch.busyNanos()).as("idle").isZero();
    long first = watch.begin();
    Thread.sleep(200);
    long second = watch.begin();
    assertThat(watch.busyNanos()).isGreaterThanOrEqualTo(200_000_000L);
    watch.end(first);
    assertThat(watch.busyNanos()).as("only the second is in hand").isLessThan(200_000_000L);
    watch.end(second);
    assertThat(watch.busyNanos()).isZero();
  }
}

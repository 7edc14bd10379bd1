package dev.retort.teacher.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InFlightKeysTest {

  @Test
  void aSecondClaimOfAKeyWaitsUntilTheFirstWorkerLetsItGo() throws Exception {
    InFlightKeys keys = new InFlightKeys();
    assertThat(keys.claim("p/1")).as("a free key is claimed without waiting").isFalse();
    CountDownLatch claimed = new CountDownLatch(1);
    AtomicBoolean waited = new AtomicBoolean();
    Thread duplicate = new Thread(() -> {
      waited.set(keys.claim("p/1"));
      claimed.countDown();
    });
    duplicate.start();
    assertThat(claimed.await(200, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(keys.claim("p/2")).as("other keys are not held up").isFalse();
    keys.release("p/1");
    assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(waited).isTrue();
    assertThat(keys.size()).as("p/1, now held by the duplicate, and p/2").isEqualTo(2);
    keys.release("p/1");
    keys.release("p/1"); // releasing a free key is harmless
    keys.release("p/2");
    assertThat(keys.size()).isZero();
  }
}

package dev.retort.teacher.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerSlotsTest {

  @Test
  void theNextRequestComputesWhileTheFirstPublishes() throws Exception {
    WorkerSlots slots = new WorkerSlots(1);
    WorkerSlots.Slot publishing;
    try (WorkerSlots.Slot computing = slots.compute()) {
      publishing = slots.publish();
    }
    // The first request's output is publishing; a second request gets the compute slot at once.
    CountDownLatch secondComputed = new CountDownLatch(1);
    Thread second = new Thread(() -> {
      try (WorkerSlots.Slot c = slots.compute()) {
        secondComputed.countDown();
      }
    });
    second.start();
    assertThat(secondComputed.await(10, TimeUnit.SECONDS)).isTrue();
    publishing.close();
    second.join();
    assertThat(slots.computing()).isZero();
    assertThat(slots.publishing()).isZero();
  }

  @Test
  void atMostNComputeAndAComputedOutputWaitsForAPublishSlot() throws Exception {
    WorkerSlots slots = new WorkerSlots(2);
    WorkerSlots.Slot c1 = slots.compute();
    WorkerSlots.Slot c2 = slots.compute();
    AtomicInteger thirdStage = new AtomicInteger();
    Thread third = new Thread(() -> {
      try (WorkerSlots.Slot c = slots.compute()) {
        thirdStage.set(1);
      }
    });
    third.start();
    third.join(200);
    assertThat(thirdStage).as("a third request waits while two compute").hasValue(0);
    // Both finished computing and publish; neither gives its compute slot back before it holds a
    // publish slot, so the outputs in memory stay at 2N.
    WorkerSlots.Slot p1 = slots.publish();
    c1.close();
    third.join(10_000);
    assertThat(thirdStage).hasValue(1);
    WorkerSlots.Slot p2 = slots.publish();
    c2.close();
    assertThat(slots.publishing()).isEqualTo(2);
    CountDownLatch thirdPublishing = new CountDownLatch(1);
    Thread publisher = new Thread(() -> {
      try (WorkerSlots.Slot p = slots.publish()) {
        thirdPublishing.countDown();
      }
    });
    publisher.start();
    assertThat(thirdPublishing.await(200, TimeUnit.MILLISECONDS))
        .as("a third output waits while two publish").isFalse();
    p1.close();
    assertThat(thirdPublishing.await(10, TimeUnit.SECONDS)).isTrue();
    p2.close();
    p2.close(); // a second close gives nothing back twice
    publisher.join();
    assertThat(slots.publishing()).isZero();
    assertThat(slots.computing()).isZero();
  }

  @Test
  void fewerThanOneWorkerIsRejectedWithTheKeyName() {
    assertThatThrownBy(() -> new WorkerSlots(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retort.teacher.workers is 0");
  }
}

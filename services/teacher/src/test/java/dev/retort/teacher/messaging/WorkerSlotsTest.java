package dev.retort.teacher.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class WorkerSlotsTest {

  @Test
  void theNextRequestComputesWhileTheFirstPublishes() throws Exception {
    WorkerSlots slots = new WorkerSlots(1);
    slots.done(P0, -1); // offset 0 is next
    WorkerSlots.Slot publishing;
    try (WorkerSlots.Slot computing = slots.compute(P0, 0, SENT)) {
      publishing = slots.publish();
    }
    // The first request's output is publishing; a second request gets the compute slot at once.
    CountDownLatch secondComputed = new CountDownLatch(1);
    Thread second = new Thread(() -> {
      try (WorkerSlots.Slot c = slots.compute(P0, 1, SENT)) {
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
    slots.done(P0, -1);
    WorkerSlots.Slot c1 = slots.compute(P0, 0, SENT);
    WorkerSlots.Slot c2 = slots.compute(P0, 1, SENT);
    AtomicInteger thirdStage = new AtomicInteger();
    Thread third = new Thread(() -> {
      try (WorkerSlots.Slot c = slots.compute(P0, 2, SENT)) {
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

  private static final TopicPartition P0 = new TopicPartition("requests", 0);
  private static final TopicPartition P1 = new TopicPartition("requests", 1);
  private static final long SENT = 1_000L;

  @Test
  void aRequestInItsTurnGoesBeforeALaterOneThatWaitedLonger() throws Exception {
    WorkerSlots slots = new WorkerSlots(1, Duration.ofMillis(20));
    slots.done(P0, 9);
    WorkerSlots.Slot first = slots.compute(P0, 10, SENT);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    Thread later = waitForSlot(slots, P0, 12, SENT, order);
    Thread.sleep(60); // offset 12 has waited longer than the order wait before 11 comes
    Thread earlier = waitForSlot(slots, P0, 11, SENT, order);
    first.close();
    joinAll(later, earlier);
    assertThat(order).containsExactly("requests-0@11", "requests-0@12");
    assertThat(slots.lateAdmissions()).isZero();
  }

  @Test
  void ofRequestsOnDifferentPartitionsTheOneSentFirstComputesFirst() throws Exception {
    WorkerSlots slots = new WorkerSlots(1, Duration.ofSeconds(30));
    slots.done(P0, 9);
    slots.done(P1, 99);
    WorkerSlots.Slot first = slots.compute(P0, 10, SENT);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    // A job's later batch on another partition asks first, but was sent after the earlier batch.
    Thread later = waitForSlot(slots, P1, 100, SENT + 5, order);
    Thread earlier = waitForSlot(slots, P0, 11, SENT + 1, order);
    first.close();
    joinAll(later, earlier);
    assertThat(order).containsExactly("requests-0@11", "requests-1@100");
  }

  @Test
  void requestsOfOnePartitionTakeTheComputeSlotInOffsetOrderWhicheverAsksFirst() throws Exception {
    // A long wait for missing offsets: the order below must come from the offsets alone.
    WorkerSlots slots = new WorkerSlots(1, Duration.ofSeconds(30));
    slots.done(P0, 9); // the partition's turn is known: offset 10 is next
    WorkerSlots.Slot first = slots.compute(P0, 10, SENT);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    // Offsets 13, 12 and 11 ask for the slot in that order, as racing worker threads may.
    Thread t13 = waitForSlot(slots, P0, 13, SENT, order);
    Thread t12 = waitForSlot(slots, P0, 12, SENT, order);
    Thread t11 = waitForSlot(slots, P0, 11, SENT, order);
    first.close();
    joinAll(t13, t12, t11);
    assertThat(order).containsExactly("requests-0@11", "requests-0@12", "requests-0@13");
    assertThat(slots.lateAdmissions()).isZero();
  }

  @Test
  void aRequestWaitsForAMissingPredecessorOnlyBrieflyAndTheOnesAfterItNotAtAll() {
    WorkerSlots slots = new WorkerSlots(2, Duration.ofMillis(20));
    slots.done(P0, 9);
    slots.compute(P0, 10, SENT).close();
    // Offset 11 never comes (a duplicate stuck on its key, or deleted): 12 goes after the wait.
    slots.compute(P0, 12, SENT).close();
    assertThat(slots.lateAdmissions()).isEqualTo(1);
    // The turn moved past the gap: 13 is next, and 11, should it come, counts as an older one.
    slots.compute(P0, 13, SENT).close();
    slots.compute(P0, 11, SENT).close();
    assertThat(slots.lateAdmissions()).isEqualTo(1);
  }

  @Test
  void theFirstRequestOfAPartitionComputesAfterTheOrderWaitAndIsNotCountedOutOfTurn() {
    WorkerSlots slots = new WorkerSlots(1, Duration.ofMillis(20));
    slots.compute(P1, 500, SENT).close(); // nothing known of P1: it waits for an earlier one
    slots.compute(P1, 501, SENT).close(); // in turn
    assertThat(slots.lateAdmissions()).isZero();
  }

  @Test
  void aRequestThatLeavesWithoutComputingLetsTheNextOneIn() throws Exception {
    WorkerSlots slots = new WorkerSlots(1, Duration.ofSeconds(30));
    slots.done(P0, 9);
    slots.compute(P0, 10, SENT).close();
    CountDownLatch computed = new CountDownLatch(1);
    Thread next = new Thread(() -> {
      try (WorkerSlots.Slot s = slots.compute(P0, 12, SENT)) {
        computed.countDown();
      }
    });
    next.start();
    awaitWaiting(slots, 1);
    slots.done(P0, 11); // offset 11 was a duplicate: skipped without computing
    assertThat(computed.await(10, TimeUnit.SECONDS)).isTrue();
    next.join(10_000);
    assertThat(slots.lateAdmissions()).isZero();
  }

  @Test
  void aPartitionWaitingForItsTurnDoesNotHoldUpAnother() throws Exception {
    WorkerSlots slots = new WorkerSlots(1, Duration.ofSeconds(30));
    slots.done(P0, 9);
    slots.done(P1, 99);
    CountDownLatch p0Computed = new CountDownLatch(1);
    Thread early = new Thread(() -> {
      try (WorkerSlots.Slot s = slots.compute(P0, 12, SENT)) { // waits for offsets 10 and 11
        p0Computed.countDown();
      }
    });
    early.start();
    awaitWaiting(slots, 1);
    try (WorkerSlots.Slot s = slots.compute(P1, 100, SENT)) {
      assertThat(p0Computed.getCount()).isEqualTo(1);
    }
    slots.done(P0, 10);
    slots.done(P0, 11);
    assertThat(p0Computed.await(10, TimeUnit.SECONDS)).isTrue();
    early.join(10_000);
    assertThat(slots.lateAdmissions()).isZero();
  }

  /**
   * Starts a request that takes a compute slot and records its partition and offset on taking it;
   * returns once it waits for the slot.
   */
  private static Thread waitForSlot(WorkerSlots slots, TopicPartition partition, long offset,
      long sentAt, List<String> order) {
    int before = slots.waiting();
    Thread t = new Thread(() -> {
      try (WorkerSlots.Slot s = slots.compute(partition, offset, sentAt)) {
        order.add(partition + "@" + offset);
      }
    });
    t.start();
    awaitWaiting(slots, before + 1);
    return t;
  }

  private static void joinAll(Thread... threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join(10_000);
    }
  }

  private static void awaitWaiting(WorkerSlots slots, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (slots.waiting() < count) {
      assertThat(System.nanoTime()).as("requests waiting for a slot").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}

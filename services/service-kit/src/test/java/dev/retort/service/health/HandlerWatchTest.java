package dev.retort.service.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
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

  @Test
  void aRequestThatKeepsReportingProgressStaysLiveLongerThanWedgedAfter() throws Exception {
    HandlerWatch watch = new HandlerWatch();
    Duration wedgedAfter = Duration.ofMillis(150);
    long token = watch.begin();
    long end = System.nanoTime() + 600_000_000L; // four times wedged-after
    while (System.nanoTime() < end) {
      Thread.sleep(20); // a batch
      watch.beat();
      assertThat(status(watch, wedgedAfter)).isEqualTo(HealthCheckResponse.Status.UP);
    }
    Thread.sleep(200); // no progress for longer than wedged-after: wedged
    assertThat(status(watch, wedgedAfter)).isEqualTo(HealthCheckResponse.Status.DOWN);
    watch.end(token);
    assertThat(status(watch, wedgedAfter)).isEqualTo(HealthCheckResponse.Status.UP);
  }

  @Test
  void aBeatCountsForTheRequestOfTheCallingThreadOnly() throws Exception {
    HandlerWatch watch = new HandlerWatch();
    long token = watch.begin();
    Thread.sleep(100);
    Thread other = new Thread(watch::beat);
    other.start();
    other.join();
    assertThat(watch.busyNanos()).as("another thread's beat").isGreaterThanOrEqualTo(100_000_000L);
    watch.beat();
    assertThat(watch.busyNanos()).isLessThan(100_000_000L);
    watch.end(token);
    watch.beat(); // no request in hand: nothing to mark
    assertThat(watch.busyNanos()).isZero();
  }

  @Test
  void aRecordLeftUncommittedFailsLivenessAfterWedgedAfterUntilItIsCommitted() throws Exception {
    HandlerWatch watch = new HandlerWatch();
    Duration wedgedAfter = Duration.ofMillis(100);
    watch.leftUncommitted("retort.loss.requests.v1-3@42");
    assertThat(status(watch, wedgedAfter)).isEqualTo(HealthCheckResponse.Status.UP);
    Thread.sleep(150);
    HealthCheckResponseBuilder b = HealthCheckResponse.named("loop").up();
    watch.report(b, wedgedAfter, "request");
    HealthCheckResponse down = b.build();
    assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(down.getData().orElseThrow().get("uncommitted").toString())
        .contains("left uncommitted after transient failures").contains("a restart delivers it");
    watch.committed("retort.loss.requests.v1-3@42"); // delivered again, and committed
    assertThat(watch.uncommittedNanos()).isZero();
    assertThat(status(watch, wedgedAfter)).isEqualTo(HealthCheckResponse.Status.UP);
  }

  @Test
  void aRecordWhosePartitionARebalanceGaveAwayNoLongerFailsLiveness() throws Exception {
    HandlerWatch watch = new HandlerWatch();
    Duration wedgedAfter = Duration.ofMillis(100);
    String topic = "retort.loss.requests.v1";
    watch.leftUncommitted(HandlerWatch.recordId(topic, 1, 7));
    watch.leftUncommitted(HandlerWatch.recordId(topic, 10, 8));
    Thread.sleep(150);
    assertThat(status(watch, wedgedAfter)).isEqualTo(HealthCheckResponse.Status.DOWN);
    // Partition 1 goes to another replica, which is delivered its record again; 10 stays here.
    watch.partitionReleased(topic, 1);
    assertThat(status(watch, wedgedAfter)).as("partition 10's record still waits here")
        .isEqualTo(HealthCheckResponse.Status.DOWN);
    watch.partitionReleased("retort.teacher.requests.v1", 10);
    assertThat(status(watch, wedgedAfter)).as("another topic's partition 10")
        .isEqualTo(HealthCheckResponse.Status.DOWN);
    watch.partitionReleased(topic, 10);
    assertThat(watch.uncommittedNanos()).isZero();
    assertThat(status(watch, wedgedAfter)).isEqualTo(HealthCheckResponse.Status.UP);
  }

  private static HealthCheckResponse.Status status(HandlerWatch watch, Duration wedgedAfter) {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("loop").up();
    watch.report(b, wedgedAfter, "request");
    return b.build().getStatus();
  }
}

package dev.retort.messaging.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.messaging.ClientConfigs;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class ClusterProbeTest {
  @Test
  void aFailingAdminClientIsReportedAndTheAnswerIsReused() {
    AtomicInteger asked = new AtomicInteger();
    ClusterProbe probe = new ClusterProbe(() -> {
      asked.incrementAndGet();
      throw new IllegalStateException("no admin");
    }, Duration.ofSeconds(1), Duration.ofHours(1));

    assertThat(probe.problem()).isEqualTo("java.lang.IllegalStateException: no admin");
    assertThat(probe.problem()).isEqualTo("java.lang.IllegalStateException: no admin");
    assertThat(asked).hasValue(1);
  }

  @Test
  void withoutCachingEveryCallAsksAgain() {
    AtomicInteger asked = new AtomicInteger();
    ClusterProbe probe = new ClusterProbe(() -> {
      asked.incrementAndGet();
      throw new IllegalStateException("no admin");
    }, Duration.ofSeconds(1), Duration.ZERO);

    probe.problem();
    probe.problem();

    assertThat(asked).hasValue(2);
  }

  @Test
  void aClusterThatDoesNotAnswerInTimeIsReported() {
    // Port 1 on the loopback: nothing listens, so describeCluster never completes in 100 ms.
    Admin admin = Admin.create(ClientConfigs.admin("127.0.0.1:1", Map.of()));
    try {
      ClusterProbe probe = new ClusterProbe(() -> admin, Duration.ofMillis(100), Duration.ZERO);

      assertThat(probe.problem()).isEqualTo("no answer to describeCluster within 100 ms");
    } finally {
      admin.close(Duration.ZERO); // do not wait for the pending call's own timeout
    }
  }
}

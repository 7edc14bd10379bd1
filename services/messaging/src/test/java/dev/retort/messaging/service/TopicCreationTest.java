package dev.retort.messaging.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.messaging.TopicSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TopicCreationTest {
  /** A cluster whose address cannot be parsed, so every attempt fails at once. */
  private static final class BadAddress implements ClusterAccess {
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public String bootstrap() {
      attempts.incrementAndGet();
      throw new IllegalArgumentException("no bootstrap servers");
    }

    @Override
    public Map<String, String> security() {
      return Map.of();
    }
  }

  @Test
  void disabledCreationIsDoneAtOnceWithoutBuildingSettingsOrCallingTheCluster() {
    BadAddress cluster = new BadAddress();
    TopicCreation creation = new TopicCreation(cluster, () -> {
      throw new AssertionError("settings must not be built when creation is disabled");
    }, new RecordingLogger().logger());

    creation.start(false);

    assertThat(creation.done()).isTrue();
    assertThat(cluster.attempts).hasValue(0);
  }

  @Test
  void failedAttemptsAreLoggedAndRetriedUntilStopped() throws Exception {
    BadAddress cluster = new BadAddress();
    RecordingLogger log = new RecordingLogger();
    TopicCreation creation = new TopicCreation(cluster, TopicSettings::defaults, log.logger(),
        Duration.ofMillis(10));

    creation.start(true);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (cluster.attempts.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    creation.stop();

    assertThat(cluster.attempts.get()).isGreaterThanOrEqualTo(3);
    assertThat(creation.done()).isFalse();
    assertThat(log.lines().get(0))
        .isEqualTo("WARN Cannot create the topics yet: no bootstrap servers; retrying in 0 s");
  }
}

package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessKafkaBrokerTest {
  @TempDir Path workDir;

  @Test
  void recordSurvivesKill9AndRestartAndAFreshStackStopsTheBroker() throws Exception {
    LocalStack stack = new LocalStack(workDir);
    try (ProcessKafkaBroker broker = new ProcessKafkaBroker(stack.kafkaSettings().build())) {
      long t0 = System.nanoTime();
      stack.startKafka(broker);
      long firstStartMs = (System.nanoTime() - t0) / 1_000_000;
      String bootstrap = broker.bootstrapServers();
      assertThat(bootstrap).startsWith("127.0.0.1:");
      assertThat(stack.state().find("kafka").orElseThrow().properties())
          .containsEntry("kafka.bootstrap.servers", bootstrap);

      assertThat(broker.createTopics(List.of(TopicSpec.of("crash.test", 2))))
          .containsExactly("crash.test");
      KafkaTestClients.produce(bootstrap, "crash.test", "k", "before-crash");
      assertThat(KafkaTestClients.consume(bootstrap, "crash.test", 2, 1, Duration.ofSeconds(20)))
          .containsExactly("k=before-crash");

      ProcessHandle first = broker.processHandle().orElseThrow();
      stack.kill9("kafka");
      assertThat(first.isAlive()).isFalse();

      t0 = System.nanoTime();
      stack.restart("kafka");
      long restartMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("ProcessKafkaBroker: first start (format + start) %d ms, restart after "
          + "kill -9 %d ms%n", firstStartMs, restartMs);

      ProcessHandle second = broker.processHandle().orElseThrow();
      assertThat(second.pid()).isNotEqualTo(first.pid());
      assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(KafkaTestClients.consume(bootstrap, "crash.test", 2, 1, Duration.ofSeconds(20)))
          .containsExactly("k=before-crash");
      // The topic is still known: creating it again is a no-op.
      assertThat(broker.createTopics(List.of(TopicSpec.of("crash.test", 2)))).isEmpty();

      // What `retort down` does, from another LocalStack that only knows the directory.
      assertThat(new LocalStack(workDir).stopAll()).extracting(StackEntry::pid)
          .containsExactly(second.pid());
      assertThat(second.isAlive()).isFalse();
    }
  }

  @Test
  void brokerThatCannotStartIsReportedWithItsLogFile() {
    KafkaSettings settings = KafkaSettings.builder()
        .setWorkDir(workDir)
        .optProperty("num.partitions", "not-a-number")
        .build();
    try (ProcessKafkaBroker broker = new ProcessKafkaBroker(settings)) {
      assertThatThrownBy(broker::start)
          .isInstanceOf(RetortException.class)
          .hasMessageContaining(workDir.resolve("kafka.log").toString())
          .hasMessageContaining("num.partitions");
      assertThat(broker.processHandle()).isEmpty();
    }
  }
}

package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerPropertiesTest {
  @TempDir Path dir;

  @Test
  void oneNodeKraftBrokerListensOnLoopbackWithTheGivenPorts() {
    KafkaSettings settings = KafkaSettings.builder().setWorkDir(dir).build();

    Map<String, String> p = BrokerProperties.of(settings, new BrokerPorts(40001, 40002));

    assertThat(p).containsEntry("process.roles", "broker,controller")
        .containsEntry("controller.quorum.voters", "1@127.0.0.1:40002")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:40001,CONTROLLER://127.0.0.1:40002")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:40001")
        .containsEntry("log.dirs", dir.toAbsolutePath().resolve("data").toString())
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("num.partitions", "1")
        .containsEntry("message.max.bytes", "8388608")
        .containsEntry("replica.fetch.max.bytes", "8388608");
  }

  @Test
  void largeMessagesRaiseFetchAndRequestLimitsAndExtraPropertiesWin() {
    int big = 200 * 1024 * 1024;
    KafkaSettings settings = KafkaSettings.builder().setWorkDir(dir)
        .optMessageMaxBytes(big).optNumPartitions(6).optAutoCreateTopics(true)
        .optProperty("num.io.threads", "4").build();

    Map<String, String> p = BrokerProperties.of(settings, new BrokerPorts(40001, 40002));

    assertThat(p).containsEntry("message.max.bytes", Integer.toString(big))
        .containsEntry("replica.fetch.max.bytes", Integer.toString(big))
        .containsEntry("fetch.max.bytes", Integer.toString(big))
        .containsEntry("socket.request.max.bytes", Integer.toString(2 * big))
        .containsEntry("num.partitions", "6")
        .containsEntry("auto.create.topics.enable", "true")
        .containsEntry("num.io.threads", "4");
  }

  @Test
  void writtenFileReadsBackAsTheSameProperties() throws Exception {
    Map<String, String> p = Map.of("log.dirs", "/tmp/a b\\c/dätä", "x", " leading space");
    Path file = dir.resolve("server.properties");

    BrokerProperties.write(p, file);

    Properties read = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      read.load(in); // ISO-8859-1, as Kafka reads it
    }
    assertThat(read).containsExactlyInAnyOrderEntriesOf(p);
  }
}

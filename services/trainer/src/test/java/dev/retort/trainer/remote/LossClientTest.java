package dev.retort.trainer.remote;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.messaging.TopicAdmin;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.LossRequest;
import dev.retort.stack.KafkaSettings;
import dev.retort.stack.ProcessKafkaBroker;
import dev.retort.trainer.TestTrainers;
import dev.retort.trainer.messaging.KafkaClients;
import dev.retort.trainer.messaging.LossReplies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loss requests whose send fails (a mock producer); the replies are read from a real broker. */
class LossClientTest {
  private static ProcessKafkaBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = new ProcessKafkaBroker(KafkaSettings.builder()
        .setWorkDir(Files.createTempDirectory(Path.of("target"), "kafka-loss-")).build());
    broker.start();
    TopicAdmin.ensure(broker.bootstrapServers(), Topics.specs(TopicSettings.defaults()));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void aLossRequestTheProducerCannotSendFailsItsStepAtOnceSayingWhatToChange() throws Exception {
    var producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    var config = TestTrainers.config(Map.of());
    try (LossReplies replies = new LossReplies(new KafkaClients(broker.bootstrapServers(), config), Duration.ofSeconds(60))) {
      LossClient client = new LossClient("job-l", producer, replies, Duration.ofSeconds(60));
      var step = CompletableFuture.supplyAsync(() -> client.call(7, "emd", LossRequest.newBuilder()));
      long end = System.currentTimeMillis() + 30_000;
      while (producer.history().isEmpty() && System.currentTimeMillis() < end) {
        Thread.sleep(20);
      }
      producer.errorNext(new RecordTooLargeException("the message is 1100000 bytes"));
      assertThatThrownBy(() -> step.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RetortException.class)
          .hasMessageContaining("job job-l, step 7")
          .hasMessageContaining("emd loss request")
          .hasMessageContaining("over the producer's or the broker's limit")
          .hasMessageContaining("max.request.size");
    }
  }
}

package dev.retort.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.TopicAdmin;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobControl;
import dev.retort.proto.v1.SchemaVersion;
import dev.retort.stack.KafkaSettings;
import dev.retort.stack.ProcessKafkaBroker;
import dev.retort.trainer.TestTrainers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trainer's reader of job control commands, on a real broker. */
class ControlListenerTest {
  private static ProcessKafkaBroker broker;

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "kafka-control-");
    broker = new ProcessKafkaBroker(KafkaSettings.builder().setWorkDir(work).build());
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
  void aCancelPublishedBeforeTheTrainerStartedIsSeenOnceTheListenerHasCaughtUp() throws Exception {
    // `retort cancel` while no trainer replica runs (or while the one that will run the job restarts).
    JobControl cancel = JobControl.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
        .setJobId("cancelled-early").setCancel(JobControl.Cancel.newBuilder().setReason("test")).build();
    try (var producer = new KafkaProducer<>(ClientConfigs.producer(broker.bootstrapServers(), "test", Map.of()),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.JOB_CONTROL, "cancelled-early", cancel.toByteArray()))
          .get(30, TimeUnit.SECONDS);
    }

    KafkaClients clients = new KafkaClients(broker.bootstrapServers(), TestTrainers.config(Map.of()));
    try (ControlListener control = new ControlListener(clients)) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!control.caughtUp() && System.nanoTime() < end) {
        Thread.sleep(50);
      }
      assertThat(control.caughtUp()).isTrue();
      assertThat(control.isCancelled("cancelled-early")).isTrue();
      assertThat(control.isCancelled("another-job")).isFalse();
    }
  }
}

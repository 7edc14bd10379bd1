package dev.retort.messaging.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class AwaitedProducerTest {
  private static MockProducer<String, byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, null, new StringSerializer(),
        new ByteArraySerializer());
  }

  @Test
  void eventsAreKeyedByJobIdOnTheEventTopic() {
    MockProducer<String, byte[]> mock = producer(true);
    AwaitedProducer sender = new AwaitedProducer(mock, Duration.ofSeconds(5));
    JobEvent event = JobEvent.newBuilder().setJobId("demo-1").build();

    sender.event(event);
    sender.send("t", "k", "v".getBytes(StandardCharsets.UTF_8));

    assertThat(mock.history()).hasSize(2);
    ProducerRecord<String, byte[]> first = mock.history().get(0);
    assertThat(first.topic()).isEqualTo(Topics.JOB_EVENTS);
    assertThat(first.key()).isEqualTo("demo-1");
    assertThat(first.value()).isEqualTo(event.toByteArray());
    assertThat(mock.history().get(1).topic()).isEqualTo("t");
  }

  @Test
  void aFailedAcknowledgementIsThrownWithTheTopic() throws Exception {
    MockProducer<String, byte[]> mock = producer(false);
    AwaitedProducer sender = new AwaitedProducer(mock, Duration.ofSeconds(30));
    Thread failer = new Thread(() -> {
      // The send blocks until its completion: fail it as soon as it is pending.
      while (!mock.errorNext(new IllegalArgumentException("boom"))) {
        Thread.onSpinWait();
      }
    });
    failer.start();

    assertThatThrownBy(() -> sender.send("replies", "k", new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot send to replies: java.lang.IllegalArgumentException: boom");
    failer.join();
  }

  @Test
  void aMissingAcknowledgementTimesOut() {
    AwaitedProducer sender = new AwaitedProducer(producer(false), Duration.ofMillis(50));

    assertThatThrownBy(() -> sender.send("results", "k", new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no acknowledgement from results within 0 s");
  }

  @Test
  void closeClosesTheProducer() {
    MockProducer<String, byte[]> mock = producer(true);
    new AwaitedProducer(mock, Duration.ofSeconds(1)).close();

    assertThat(mock.closed()).isTrue();
  }
}

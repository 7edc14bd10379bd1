package dev.retort.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import dev.retort.core.RetortException;
import dev.retort.messaging.JobEvents;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.JobEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** How job events and checkpoint announcements survive a broker that does not take them. */
class EventPublisherTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final JobEvents events = new JobEvents("test-trainer", Clock.systemUTC());

  @Test
  void aProgressEventTheBrokerRefusesIsLoggedAndCountedNotThrown() {
    FlakyProducer producer = new FlakyProducer(1, new NotEnoughReplicasException("test"));
    EventPublisher publisher = new EventPublisher(producer, events, registry, Duration.ofMillis(1));

    publisher.publish(events.progress("job-1", JobEvent.Progress.newBuilder().setStep(3).build()));

    assertThat(failed(Topics.JOB_EVENTS)).isEqualTo(1);
    assertThat(producer.attempts).hasValue(1); // progress is not worth waiting for
  }

  @Test
  void anEventThatEndsAJobIsSentAgainAfterATimeoutUntilTheBrokerTakesIt() {
    FlakyProducer producer = new FlakyProducer(2, new TimeoutException("Expiring 1 record(s)"));
    EventPublisher publisher = new EventPublisher(producer, events, registry, Duration.ofMillis(1));

    publisher.publish(events.failed("job-2", "the loss service failed", "student/checkpoints"));

    assertThat(producer.attempts).hasValue(3);
    assertThat(producer.history()).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("job-2");
      assertThat(ProtoSerde.of(JobEvent.getDefaultInstance()).parse(r.value()).hasFailed())
          .isTrue();
    });
    assertThat(failed(Topics.JOB_EVENTS)).isZero();
  }

  @Test
  void anEndingEventTheBrokerNeverTakesIsCountedAndTheJobGoesOnToWriteItsState() {
    FlakyProducer producer = new FlakyProducer(99, new TimeoutException("Expiring 1 record(s)"));
    EventPublisher publisher = new EventPublisher(producer, events, registry, Duration.ofMillis(1));

    publisher.publish(events.cancelled("job-3", 5, "student/checkpoints")); // does not throw

    assertThat(producer.attempts).hasValue(EventSends.ATTEMPTS);
    assertThat(failed(Topics.JOB_EVENTS)).isEqualTo(1);
  }

  @Test
  void theStudentsFinalAnnouncementIsAwaitedAndFailsTheJobWhenTheBrokerNeverTakesIt() {
    FlakyProducer producer = new FlakyProducer(99, new NotEnoughReplicasException("test"));
    Path root = Path.of("/store").toAbsolutePath();
    KafkaEvaluations evaluations = new KafkaEvaluations("job-4", Struct.getDefaultInstance(), root,
        producer, registry, Duration.ofMillis(1));

    // An evaluation point: logged and counted, the job goes on.
    evaluations.announce("student", "distill", 10, root.resolve("jobs/job-4/student/step-10"),
        false);
    assertThat(failed(Topics.CHECKPOINTS)).isEqualTo(1);

    // The last one: the evaluator finishes the job only once it has scored it.
    assertThatThrownBy(() -> evaluations.announce("student", "distill", 20,
        root.resolve("jobs/job-4/student/step-20"), true))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("job job-4, final student model jobs/job-4/student/step-20")
        .hasMessageContaining("not acknowledged by the broker")
        .hasMessageContaining(Topics.CHECKPOINTS);
    assertThat(producer.attempts).hasValue(1 + EventSends.ATTEMPTS);
    assertThat(failed(Topics.CHECKPOINTS)).isEqualTo(2);
  }

  @Test
  void theStudentsFinalAnnouncementIsSentAgainAfterATimeout() throws Exception {
    FlakyProducer producer = new FlakyProducer(1, new TimeoutException("Expiring 1 record(s)"));
    Path root = Path.of("/store").toAbsolutePath();
    KafkaEvaluations evaluations = new KafkaEvaluations("job-5", Struct.getDefaultInstance(), root,
        producer, registry, Duration.ofMillis(1));

    evaluations.announce("student", "distill", 20, root.resolve("jobs/job-5/student/step-20"),
        true);

    assertThat(producer.history()).singleElement().satisfies(r ->
        assertThat(CheckpointReady.parseFrom(r.value()).getFinal()).isTrue());
    assertThat(failed(Topics.CHECKPOINTS)).isZero();
  }

  private double failed(String topic) {
    return registry.counter("retort.trainer.sends.failed", "topic", topic).count();
  }

  /** A producer whose first sends fail at once, as a broker that does not take them. */
  private static final class FlakyProducer extends MockProducer<String, byte[]> {
    private final AtomicInteger failures;
    private final RuntimeException error;
    final AtomicInteger attempts = new AtomicInteger();

    FlakyProducer(int failures, RuntimeException error) {
      super(true, null, new StringSerializer(), new ByteArraySerializer());
      this.failures = new AtomicInteger(failures);
      this.error = error;
    }

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record,
        Callback callback) {
      attempts.incrementAndGet();
      if (failures.getAndDecrement() > 0) {
        if (callback != null) {
          callback.onCompletion(null, error);
        }
        return CompletableFuture.failedFuture(error);
      }
      return super.send(record, callback);
    }
  }
}

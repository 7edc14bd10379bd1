package dev.retort.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.TrainingRequest;
import dev.retort.trainer.TestTrainers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a job that does not run to its end is written: the run is made to throw where it starts
 * (the settings it reads first), as a step would.
 */
class JobExecutorEndingsTest {
  @TempDir Path root;

  @Test
  void anOutOfMemoryErrorFailsTheJobWithAnEventNamingTheErrorAndWhatToChange() throws Exception {
    MockProducer<String, byte[]> producer = TestTrainers.producer();
    JobExecutor executor = executor(producer, () -> {
      throw new OutOfMemoryError("Java heap space");
    });
    TrainingRequest request = request("oom-1");

    String status = executor.run(request, job(request), () -> false, () -> false);

    assertThat(status).isEqualTo("failed");
    assertThat(JobState.status(executor.jobDir("oom-1"))).contains("failed");
    List<JobEvent> events = events(producer);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getFailed().getReason())
        .contains("java.lang.OutOfMemoryError: Java heap space")
        .contains("batches of 32 examples of up to 128 tokens")
        .contains("Lower distill.training.batch-size or task.max-length")
        .contains("give the trainer more memory");
  }

  @Test
  void aJobWhoseWaitIsCancelledByShutdownIsSuspendedNotFailed() throws Exception {
    MockProducer<String, byte[]> producer = TestTrainers.producer();
    // What a step waiting for the teacher or the loss service throws when the trainer closes them.
    JobExecutor executor = executor(producer, () -> {
      throw new CancellationException();
    });
    TrainingRequest request = request("shutdown-1");

    String status = executor.run(request, job(request), () -> false, () -> true);

    assertThat(status).isEqualTo("suspended");
    assertThat(JobState.status(executor.jobDir("shutdown-1"))).contains("running");
    assertThat(events(producer)).as("no failed event").isEmpty();
  }

  private JobExecutor executor(MockProducer<String, byte[]> producer, Supplier<Object> hub) {
    var config = TestTrainers.config(Map.of("hub", hub));
    return TestTrainers.executor(config, root, producer);
  }

  private static TrainingRequest request(String id) throws Exception {
    TrainingRequest.Builder b = TrainingRequest.newBuilder();
    JsonFormat.parser().merge("{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":\"" + id + "\","
        + "\"job\":{\"teacher\":{\"model\":\"preset:tiny\"},\"task\":{\"max-length\":128}}}", b);
    return b.build();
  }

  /** The request's job as validation parses it (no more: the run is made to fail at once). */
  private static ConfigValues job(TrainingRequest request) throws Exception {
    return new JobParser(JobSchema.root()).parse(JsonFormat.printer().print(request.getJob()), "request");
  }

  private static List<JobEvent> events(MockProducer<String, byte[]> producer) {
    ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
    return producer.history().stream().filter(r -> r.topic().equals(Topics.JOB_EVENTS))
        .map(ProducerRecord::value).map(serde::parse).toList();
  }
}

package dev.retort.trainer.job;

import com.google.protobuf.Struct;
import dev.retort.core.RetortException;
import dev.retort.core.run.Evaluations;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.SchemaVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/**
 * Hands a job's models to the evaluator service: every model directory the runner writes is
 * announced as a {@link CheckpointReady} on {@value Topics#CHECKPOINTS}, with its path relative to
 * the artifact store and the job, so the evaluator needs no other state.
 *
 * <p>Every announcement has a callback: one the broker did not take is logged and counted in
 * {@code retort.trainer.sends.failed{topic}} ({@link EventSends}). The student's final
 * announcement is also awaited and sent again after a failure that passes: the evaluator finishes
 * the job when it has scored it, so without it the job would wait for ever. If it still cannot be
 * sent, the job fails, saying why.
 */
final class KafkaEvaluations implements Evaluations {
  private final String jobId;
  private final Struct job;
  private final Path root;
  private final EventSends sends;

  /** Creates the announcer; failures are counted in Micrometer's global registry (Quarkus's). */
  KafkaEvaluations(String jobId, Struct job, Path root, Producer<String, byte[]> producer) {
    this(jobId, job, root, producer, Metrics.globalRegistry, Duration.ofSeconds(1));
  }

  KafkaEvaluations(String jobId, Struct job, Path root, Producer<String, byte[]> producer,
      MeterRegistry registry, Duration backoff) {
    this.jobId = jobId;
    this.job = job;
    this.root = root;
    this.sends = new EventSends(producer, registry, backoff);
  }

  @Override
  public boolean inProcess() {
    return false;
  }

  @Override
  public void announce(String role, String phase, long step, Path modelDir, boolean last) {
    CheckpointReady c =
        CheckpointReady.newBuilder()
            .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
            .setJobId(jobId)
            .setRole(role)
            .setPhase(phase)
            .setStep(step)
            .setPath(root.relativize(modelDir.toAbsolutePath().normalize()).toString())
            .setFinal(last)
            .setJob(job)
            .build();
    String what = "the announcement of " + role + " checkpoint " + c.getPath() + " of job " + jobId;
    if (!(last && role.equals("student"))) {
      sends.send(Topics.CHECKPOINTS, jobId, c.toByteArray(), what);
      return;
    }
    Throwable error = sends.sendAwaited(Topics.CHECKPOINTS, jobId, c.toByteArray(), what);
    if (error != null) {
      throw new RetortException("job " + jobId + ", final student model " + c.getPath(),
          "its announcement to the evaluator was not acknowledged by the broker (" + error
              + "), and the evaluator finishes a job only once it has scored that model",
          "Check that the broker is reachable and that " + Topics.CHECKPOINTS
              + " exists (the trainer's log has the producer's errors), then submit the job"
              + " again under a new job id",
          error);
    }
  }
}

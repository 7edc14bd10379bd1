package dev.retort.trainer.job;

import com.google.protobuf.Struct;
import dev.retort.core.run.Evaluations;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.SchemaVersion;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Hands a job's models to the evaluator service: every model directory the runner writes is
 * announced as a {@link CheckpointReady} on {@value Topics#CHECKPOINTS}, with its path relative to
 * the artifact store and the job, so the evaluator needs no other state.
 */
final class KafkaEvaluations implements Evaluations {
  private final String jobId;
  private final Struct job;
  private final Path root;
  private final Producer<String, byte[]> producer;

  KafkaEvaluations(String jobId, Struct job, Path root, Producer<String, byte[]> producer) {
    this.jobId = jobId;
    this.job = job;
    this.root = root;
    this.producer = producer;
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
    producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, jobId, c.toByteArray()));
  }
}

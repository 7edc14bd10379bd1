package dev.retort.evaluator;

import ai.djl.ndarray.NDManager;
import com.google.protobuf.Struct;
import dev.retort.core.data.SampleData;
import dev.retort.core.data.TaskType;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelDirectory;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.weights.LoadOptions;
import dev.retort.messaging.SchemaVersions;
import dev.retort.messaging.Structs;
import dev.retort.proto.v1.CheckpointReady;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A tiny sample-data job and randomly initialised tiny models for it. */
public final class TinyJobs {
  private TinyJobs() {}

  /**
   * Returns a sample job with small caps whose data lives in {@code dataDir} (relative to the
   * artifact root).
   */
  public static Struct job(String dataDir, String teacherRef) {
    return Structs.fromMap(Map.of(
        "task", Map.of("format", "sample", "dir", dataDir, "sample-size", 60,
            "max-eval-examples", 24, "max-length", 32, "buckets", List.of(16, 32)),
        "teacher", Map.of("model", teacherRef),
        "student", Map.of("preset", "tiny"),
        "distill", Map.of("method", "bert-emd")));
  }

  /** Writes a randomly initialised tiny model with the sample task's three labels. */
  public static void writeModel(Path dir, long seed) throws IOException {
    TaskData task = new TaskData("sample", TaskType.CLASSIFICATION, SampleData.LABELS, null,
        List.of("default"), null, null, null, null, null);
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel model = new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults())
          .load("preset:tiny", "teacher.model", task, List.of("default"), "auto",
              PooledActivation.NONE, seed, m);
      ModelDirectory.write(dir, model);
    }
  }

  /** Returns an announcement. */
  public static CheckpointReady checkpoint(String jobId, String role, long step, String path,
      boolean last, Struct job) {
    return CheckpointReady.newBuilder().setSchemaVersion(SchemaVersions.CURRENT).setJobId(jobId)
        .setRole(role).setPhase(role.equals("teacher") ? "teacher" : "distill").setStep(step)
        .setPath(path).setFinal(last).setJob(job).build();
  }
}

package dev.retort.evaluator;

import com.google.protobuf.Struct;
import dev.retort.evaluator.config.ArtifactStore;
import dev.retort.evaluator.config.EvaluatorConfig;
import dev.retort.evaluator.evaluation.CheckpointJudge;
import dev.retort.evaluator.evaluation.JobData;
import dev.retort.service.health.HandlerWatch;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** A judge that runs out of memory on the checkpoints of one job, {@value #JOB}. */
@Alternative
@Singleton // no client proxy: the judge has no no-arguments constructor to subclass
public class OutOfMemoryJudge extends CheckpointJudge {
  /** The job whose checkpoints exhaust the heap. */
  public static final String JOB = "heap-exhausted";

  /** Creates the judge. */
  @Inject
  public OutOfMemoryJudge(EvaluatorConfig config, ArtifactStore store, HandlerWatch watch) {
    super(config, store, watch);
  }

  @Override
  public JobData job(String jobId, Struct job) {
    if (jobId.equals(JOB)) {
      throw new OutOfMemoryError("Java heap space (thrown by the test)");
    }
    return super.job(jobId, job);
  }
}

package dev.retort.bench.platform;

import dev.retort.core.distill.LocalTeacher;
import dev.retort.core.distill.hrkd.LocalGraphBackend;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.run.Evaluations;
import dev.retort.core.run.JobRunner;
import dev.retort.core.run.Methods;
import dev.retort.core.run.RunEnvironment;
import dev.retort.core.run.TeacherMemo;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingListener;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a job in this process, as {@code retort distill} does, recording its distillation steps. */
public final class InProcessJobs {
  /** The phase whose steps count. */
  public static final String DISTILL = "distill";

  private InProcessJobs() {}

  /**
   * Runs a job to its end.
   *
   * @param jobId the job's name (its run directory under {@code runsDir})
   * @param job the job
   * @param runsDir where run directories go
   * @return the run: {@code finished}, the wall time and each distillation step's examples/s
   * @throws java.io.IOException if run files cannot be written
   */
  public static JobRun run(String jobId, ConfigValues job, Path runsDir)
      throws java.io.IOException {
    List<Double> eps = new ArrayList<>();
    List<Map<String, Double>> parts = new ArrayList<>();
    TrainingListener steps =
        new TrainingListener() {
          @Override
          public void onStep(TrainState state, StepReport r) {
            if (DISTILL.equals(state.phase())) {
              eps.add(r.examples() / Math.max(1e-9, r.seconds()));
              Map<String, Double> p = new java.util.HashMap<>(r.parts());
              p.put(JobRun.STEP, r.seconds());
              parts.add(p);
            }
          }
        };
    RunEnvironment env =
        new RunEnvironment(
            PathPolicy.unrestricted(),
            LoadOptions.defaults(),
            runsDir,
            (teacher, selection, dropout, ctx) ->
                new LocalTeacher(teacher.model(), selection, dropout),
            Methods.localTransport(),
            LocalGraphBackend::standalone,
            List.of(steps),
            () -> false,
            Evaluations.IN_PROCESS,
            dir -> "checkpoint:" + dir.toAbsolutePath(),
            TeacherMemo.none()); // builds its teacher in every job, as retort distill does
    long t0 = System.nanoTime();
    new JobRunner(env).run(job, jobId);
    return new JobRun(jobId, "finished", "", (System.nanoTime() - t0) / 1e9, eps, parts);
  }
}

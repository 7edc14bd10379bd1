package dev.retort.core.run;

import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.TransportBackend;
import dev.retort.core.distill.hrkd.GraphBackend;
import dev.retort.core.distill.hrkd.GraphOptions;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.train.TrainingListener;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What differs between running a job in this process ({@code retort distill}) and in the
 * student-training service: where teacher outputs, transport plans and graph ratios come from,
 * where files may go, and who listens. The ML is the same either way.
 *
 * @param paths allowed roots for data, models and outputs
 * @param loadOptions weight caches, Maven and Hub
 * @param runsDir where run directories go when the job does not say
 * @param teachers builds the teacher source of a distillation phase
 * @param transport builds BERT-EMD's transport backend from the job's cost-attention rule
 * @param graphs builds HRKD's graph backend
 * @param listeners progress, metrics, events
 * @param cancelled polled before every step
 * @param evaluations where models are scored
 * @param modelRef turns a local model directory into the reference another process loads it by
 * @param teacherMemo keeps the last job's teacher for the next job with the same one (the trainer
 *     service); {@link TeacherMemo#none()} in process
 */
public record RunEnvironment(
    PathPolicy paths,
    LoadOptions loadOptions,
    Path runsDir,
    TeacherSources teachers,
    Function<CostAttention, TransportBackend> transport,
    Function<GraphOptions, GraphBackend> graphs,
    List<TrainingListener> listeners,
    BooleanSupplier cancelled,
    Evaluations evaluations,
    Function<Path, String> modelRef,
    TeacherMemo teacherMemo) {

  /** Copies the listeners. */
  public RunEnvironment {
    listeners = List.copyOf(listeners);
    java.util.Objects.requireNonNull(teacherMemo, "teacherMemo");
  }

  /** Builds the teacher source of a phase. */
  @FunctionalInterface
  public interface TeacherSources {
    /**
     * Creates a source.
     *
     * @param teacher the teacher
     * @param selection what the method reads
     * @param dropout whether the teacher keeps dropout on
     * @param context the job's identity for remote teachers (pass id parts)
     * @return the source
     */
    TeacherSource create(LoadedModel teacher, TeacherSelection selection, boolean dropout, TeacherContext context);
  }

  /**
   * What a remote teacher needs to know besides the model: which job asks, and what identifies a
   * shareable teacher pass.
   *
   * @param jobId the job
   * @param teacherRef how the teacher service loads the teacher (model reference or artifact path)
   * @param passKey everything that must match for two jobs to share teacher outputs
   * @param domain the head index (multi-domain teachers)
   */
  public record TeacherContext(String jobId, String teacherRef, String passKey, int domain) {}

  /** Everything in this process, no restrictions, runs under {@code runs/}. */
  public static RunEnvironment local(List<TrainingListener> listeners, BooleanSupplier cancelled) {
    return new RunEnvironment(
        PathPolicy.unrestricted(),
        LoadOptions.defaults(),
        Path.of("runs"),
        (teacher, selection, dropout, ctx) -> new dev.retort.core.distill.LocalTeacher(teacher.model(), selection, dropout),
        Methods.localTransport(),
        dev.retort.core.distill.hrkd.LocalGraphBackend::standalone,
        listeners,
        cancelled,
        Evaluations.IN_PROCESS,
        dir -> "checkpoint:" + dir.toAbsolutePath(),
        TeacherMemo.none());
  }
}

package dev.retort.evaluator.evaluation;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import dev.retort.core.engine.NativeHeap;
import dev.retort.core.engine.Torch;
import dev.retort.core.run.JobResult;
import dev.retort.core.run.Latency;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.Methods;
import dev.retort.core.run.ModelDirectory;
import dev.retort.core.run.ModelScore;
import dev.retort.core.run.TeacherHandover;
import dev.retort.core.run.TeacherScoreCache;
import dev.retort.evaluator.config.ArtifactStore;
import dev.retort.evaluator.config.EvaluatorConfig;
import dev.retort.evaluator.evaluation.EvaluatorState.RoleState;
import dev.retort.service.health.HandlerWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates announced checkpoints and keeps the job's bookkeeping: the best checkpoint per role
 * ({@link EvaluatorState}), the best student copied to {@code student/best}, evaluated snapshots
 * pruned ({@link SnapshotPruner}), and at the student's final checkpoint the best student scored
 * on dev and test, exported to {@code export/} (unless {@code output.export} is off) and compared
 * with the teacher's final score in {@code result.json}.
 *
 * <p>Scoring reports progress to the liveness check after every batch and every stage (loading,
 * scoring, exporting): a final evaluation of a large model may take longer than {@code
 * retort.evaluator.health.wedged-after} in all, and was then restarted and redone over and over.
 */
@ApplicationScoped
public class CheckpointJudge {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointJudge.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArtifactStore store;
  private final ModelScorer scorer;
  private final JobDataCache jobs;
  private final TeacherScoreCache teacherScores;
  private final String scorerSettings;
  private final Runnable progress;

  /**
   * Creates the judge.
   *
   * @param config the service settings
   * @param store the artifact store
   * @param watch the liveness watch: told of every scored batch and every stage, so that a final
   *     evaluation longer than {@code retort.evaluator.health.wedged-after} is not taken for a
   *     wedged one
   */
  @Inject
  public CheckpointJudge(EvaluatorConfig config, ArtifactStore store, HandlerWatch watch) {
    this.store = store;
    this.progress = watch::beat;
    var e = config.evaluation();
    this.scorer = new ModelScorer(e.batchSize(), e.latencyWarmup(), e.latencyRuns());
    this.jobs = new JobDataCache(store.paths(), e.cachedJobs());
    this.teacherScores = TeacherScoreCache.inStore(store.root());
    this.scorerSettings = "batch=" + e.batchSize() + " latency-warmup=" + e.latencyWarmup()
        + " latency-runs=" + e.latencyRuns();
  }

  /**
   * Returns a job's parsed job and data.
   *
   * @param jobId the job
   * @param job the job as the checkpoint carries it
   * @return the job data
   * @throws dev.retort.core.RetortException if the job is invalid or its data unreadable
   */
  public JobData job(String jobId, Struct job) {
    return jobs.get(jobId, job);
  }

  /**
   * Evaluates a checkpoint.
   *
   * @param t the checkpoint
   * @return the verdict; for a checkpoint evaluated before (a redelivery) the saved verdict when
   *     its results were not yet {@link #published}, else empty
   * @throws IOException if job files cannot be read or written
   * @throws dev.retort.core.RetortException if the model directory cannot be read
   */
  public synchronized Optional<Verdict> judge(CheckpointTask t) throws IOException {
    Path jobDir = store.jobDir(t.jobId());
    EvaluatorState state = EvaluatorState.load(jobDir, t.jobId());
    RoleState rs = state.role(t.role());
    if (rs.evaluated(t.step(), t.last())) {
      Verdict pending = rs.unpublished(t.step(), t.last());
      if (pending != null) {
        LOG.info("Checkpoint {} of job {} was evaluated but its results not published; publishing"
            + " its saved verdict again", t.path(), t.jobId());
      }
      return Optional.ofNullable(pending);
    }
    Torch.noGradOnThisThread();
    boolean finalTeacher = t.last() && !t.student();
    // A missing or broken directory is left to ModelDirectory.read, whose error names it.
    boolean cacheable = finalTeacher && ModelDirectory.isModelDirectory(t.modelDir());
    String teacherKey = cacheable ? TeacherScoreCache.key(
        TeacherHandover.contentDigest(t.modelDir(), store.root().resolve(TeacherHandover.SHARED_DIR)),
        t.data().job(), t.data().task(), true, scorerSettings) : null;
    Optional<Scored> reused = cacheable
        ? teacherScores.get(teacherKey).map(CheckpointJudge::scored) : Optional.empty();
    // The trainer announces its last snapshot again as the final one; when the last step was an
    // evaluation point too, that snapshot was scored already.
    boolean scoredBefore = t.student() && t.last() && rs.evaluated(t.step(), false)
        && rs.lastScored != null && t.path().equals(rs.lastScoredPath);
    boolean loads = reused.isEmpty() && !scoredBefore;
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel model = null;
      Scored s;
      if (reused.isPresent()) {
        s = reused.get();
        LOG.info("Teacher {} of job {}: scores reused from an identical teacher on identical data"
            + " (cache key {})", t.path(), t.jobId(), teacherKey.substring(0, 16));
      } else if (scoredBefore) {
        s = rs.lastScored;
        LOG.info("Final checkpoint {} of job {} was scored at step {} already; not scored again",
            t.path(), t.jobId(), t.step());
      } else {
        model = ModelDirectory.read(t.modelDir(), m);
        progress.run();
        // Latency only for a final teacher (its cached score keeps it, for a job whose teacher is
        // gone by its end). A checkpoint's latency while the trainer and the teacher service keep
        // the cores busy says little (up to ten times off on two cores); the student's, and the
        // speed-up, are measured at the job's end, beside the teacher's (finish).
        s = scorer.score(t.data(), model, finalTeacher, finalTeacher ? null : Double.NaN, m, progress);
        if (cacheable) {
          teacherScores.put(teacherKey, score(t.role(), s));
        }
      }
      rs.lastScoredPath = t.path();
      rs.lastScored = s;
      rs.metric = s.metric();
      rs.parameters = s.parameters();
      boolean best = rs.record(t.step(), t.last(), t.path(), s);
      ModelScore finalScore = null;
      Verdict.Summary summary = null;
      if (t.student()) {
        if (best) { // never for a checkpoint scored before: an equal value is not better
          ModelDirectory.write(bestDir(jobDir), model);
          progress.run();
        }
        if (t.modelDir().getParent().getFileName().toString().equals("snapshots")) {
          SnapshotPruner.prune(t.modelDir().getParent(), rs.evaluatedSteps(), rs.bestStep);
        }
      } else if (t.last()) {
        finalScore = score(t.role(), s);
        rs.finalScore = finalScore;
      }
      if (t.student() && t.last()) {
        summary = finish(t, state, rs, jobDir, m);
        finalScore = rs.finalScore;
      }
      Verdict verdict =
          new Verdict(s, best, rs.bestValue, finalScore, summary, reused.isPresent(), scoredBefore);
      // Saved once, with the verdict, so that "evaluated" never stands without what to publish.
      rs.awaitPublishing(t.step(), t.last(), verdict);
      state.save(jobDir);
      return Optional.of(verdict);
    } finally {
      if (loads || (t.student() && t.last())) {
        // The models just closed with their manager (the scored one, and at the job's end the
        // best student and the teacher): hand their pages back to the system, or every teacher
        // and snapshot scored leaves its freed memory resident (NativeHeap).
        NativeHeap.trim();
      }
    }
  }

  /**
   * Records that a checkpoint's results were published: a later redelivery is then a duplicate.
   *
   * @param t the checkpoint
   * @throws IOException if the files cannot be written
   */
  public synchronized void published(CheckpointTask t) throws IOException {
    Path jobDir = store.jobDir(t.jobId());
    EvaluatorState state = EvaluatorState.load(jobDir, t.jobId());
    if (state.role(t.role()).published(t.step(), t.last())) {
      state.save(jobDir);
    }
  }

  /**
   * Marks a job finished once its summary was published.
   *
   * @param jobId the job
   * @throws IOException if the files cannot be written
   */
  public synchronized void finished(String jobId) throws IOException {
    Path jobDir = store.jobDir(jobId);
    EvaluatorState state = EvaluatorState.load(jobDir, jobId);
    state.finished = true;
    state.save(jobDir);
    store.setStatus(jobId, "finished");
  }

  private Verdict.Summary finish(CheckpointTask t, EvaluatorState state, RoleState rs,
      Path jobDir, NDManager m) throws IOException {
    LoadedModel best = ModelDirectory.read(bestDir(jobDir), m);
    progress.run();
    RoleState teacher = state.roles.get(CheckpointTask.TEACHER);
    // The speed-up is a ratio of two latencies: both are measured here, now that the student's
    // training is over, their passes interleaved. Measured apart (the student's at its first
    // checkpoint, while the trainer and the teacher service kept the cores busy), they were
    // off by up to ten times on two cores.
    LoadedModel teacherModel = finalTeacher(t, teacher, m);
    Latency.Pair latencies = null;
    if (teacherModel != null) {
      latencies = scorer.latencies(t.data(), teacherModel, best);
      teacher.finalScore = teacher.finalScore.withLatencyMs(latencies.firstMillis());
      progress.run();
    }
    // Its dev scores are those it was selected by: only the test split is scored here; without
    // the teacher, the student's latency is measured alone, now.
    ModelScore student = score(t.role(), scorer.score(t.data(), best, true,
        latencies == null ? null : latencies.secondMillis(), rs.bestScored, m, progress));
    rs.finalScore = student;
    Path export = null;
    if (t.data().job().bool("output.export")) {
      export = jobDir.resolve("export");
      ModelDirectory.export(export, best);
      progress.run();
    }
    JobResult result = new JobResult(t.data().name(t.jobId()),
        Methods.method(t.data().job()), teacher == null ? null : teacher.finalScore,
        student, jobDir, export);
    ArtifactStore.write(jobDir.resolve("result.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
    return new Verdict.Summary(rs.bestStep, result, export == null ? "" : store.relative(export));
  }

  private static Scored scored(ModelScore m) {
    return new Scored(m.metric(), m.dev().getOrDefault(m.metric(), Double.NaN), m.dev(), m.test(),
        m.parameters(), m.latencyMs());
  }

  private static ModelScore score(String role, Scored s) {
    return new ModelScore(role, s.metric(), s.dev(), s.test(), s.parameters(), s.latencyMs());
  }

  /** Loads the job's scored final teacher, or returns null (with a warning) where there is none. */
  private LoadedModel finalTeacher(CheckpointTask t, RoleState teacher, NDManager m)
      throws IOException {
    if (teacher == null || teacher.finalScore == null || teacher.bestPath == null) {
      return null;
    }
    Path dir = store.resolve(teacher.bestPath, "teacher path");
    if (!ModelDirectory.isModelDirectory(dir)) {
      LOG.warn("Job {}: the teacher {} is gone from the store; its latency is the one measured"
          + " when it was scored, the student's is measured alone", t.jobId(), teacher.bestPath);
      return null;
    }
    LoadedModel model = ModelDirectory.read(dir, m);
    progress.run();
    return model;
  }

  private static Path bestDir(Path jobDir) {
    return jobDir.resolve(CheckpointTask.STUDENT).resolve("best");
  }
}

package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.data.Batch;
import dev.retort.core.data.BatchOrder;
import dev.retort.core.data.Batcher;
import dev.retort.core.data.Dataset;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.distill.DistillationObjective;
import dev.retort.core.distill.DistillationStep;
import dev.retort.core.distill.FineTuneObjective;
import dev.retort.core.distill.Phase;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.metrics.MetricSet;
import dev.retort.core.model.HfModule;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.BatcherPlan;
import dev.retort.core.train.Lookahead;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole job: resolves the data, loads (and optionally fine-tunes) the teacher, builds the
 * student, distils with the chosen method, evaluates both and exports the best student. The
 * student-training service runs jobs through this same class with remote backends ({@link
 * RunEnvironment}).
 *
 * <p>Run directory ({@code output.dir}, default {@code runs/<name>}): {@code job.json}, {@code
 * events.jsonl}, {@code teacher/} and {@code student/} (resumable {@code checkpoints/}, the {@code
 * best/} model directory), {@code export/} and {@code result.json}. Running the same job again
 * resumes from the newest intact checkpoint of each phase.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Examples per forward pass when scoring a model. */
  static final int EVAL_BATCH = 64;
  /** Untimed batch-1 passes before a latency is measured (the evaluator service's default). */
  static final int LATENCY_WARMUP = 3;
  /** Timed batch-1 passes of a latency (the evaluator service's default). */
  static final int LATENCY_RUNS = 15;
  /** How {@link #score} scores, as {@link TeacherScoreCache} keys it (the evaluator's defaults). */
  private static final String SCORER =
      "batch=" + EVAL_BATCH + " latency-warmup=" + LATENCY_WARMUP + " latency-runs=" + LATENCY_RUNS;

  private final RunEnvironment env;

  /**
   * Creates a runner.
   *
   * @param env the environment
   */
  public JobRunner(RunEnvironment env) {
    this.env = env;
  }

  /**
   * Runs a job to the end.
   *
   * @param job the parsed job
   * @param name the job name (from the job or its file)
   * @return scores and paths
   * @throws IOException if run files cannot be written
   */
  public JobResult run(ConfigValues job, String name) throws IOException {
    String method = job.str("distill.method");
    // Before any teacher loads (and perhaps fine-tunes for hours): options the loss cannot honour.
    Methods.checkStages(job);
    Methods.checkTerms(job);
    // Shapes that cannot work: head counts, and layer counts the layer mapping cannot use.
    ShapeCheck.check(job, env.paths());
    // HRKD and EfficientBERT build their teachers their own way: drop the kept one, never hold two.
    if (Methods.multiDomain(method)) {
      env.teacherMemo().clear();
      return new HrkdRunner(env).run(job, name);
    }
    if (job.has("student.ffn-expressions")) {
      env.teacherMemo().clear();
      return new EfficientBertRunner(env, this).run(job, name);
    }
    Torch.noGradOnThisThread();
    TaskData task = new TaskResolver(env.paths()).resolve(job);
    Path runDir = runDir(job, name);
    Files.createDirectories(runDir);
    JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("job.json").toFile(), job.asTree());
    long seed = job.integer("seed");
    ModelFactory factory = new ModelFactory(env.paths(), env.loadOptions());
    try (NDManager teacherManager = NDManager.newBaseManager(); NDManager studentManager = NDManager.newBaseManager()) {
      List<String> single = List.of("default");
      // A teacher that is only read may be the one the last job built (TeacherMemo, trainer only).
      TeacherKey key = job.bool("teacher.finetune") ? null : TeacherKey.of(job, task, single, env.paths()).orElse(null);
      LoadedModel teacher = env.teacherMemo().teacher(key, teacherManager, m -> factory.teacher(job, task, single, m));
      EncodedTask enc = EncodedTask.of(job, teacher.tokenizer(), single);
      EncodedDataset train = enc.encode(task.train());
      EncodedDataset dev = enc.encode(task.dev());
      Evaluator evaluator = new Evaluator(task.metric(), EVAL_BATCH, enc.buckets());
      Path teacherDir;
      if (job.bool("teacher.finetune")) {
        teacher = fineTuneTeacher(job, task, teacher, train, dev, evaluator, runDir.resolve("teacher"), teacherManager);
        teacherDir = runDir.resolve("teacher").resolve("best");
      } else {
        teacherDir = TeacherHandover.handOver(teacher, runDir, sharedTeachers(env), env.teacherMemo()::digest);
      }
      ModelScore teacherScore = null;
      if (env.evaluations().inProcess()) {
        // Its latency is measured at the end, beside the student's.
        teacherScore = score("teacher", teacher, task, enc, evaluator, job, teacherManager, null, false);
        LOG.info("Teacher {}: dev {}", teacher.source(), teacherScore.dev());
      } else {
        env.evaluations().announce("teacher", "teacher", 0, teacherDir, true);
      }

      LoadedModel student = factory.student(job, task, teacher, single, studentManager);
      DistillationObjective objective =
          Methods.objective(job, student.config(), teacher.config(), task.regression(), env.transport());
      Torch.seed(seed + 2);
      for (HfModule m : objective.modules().values()) {
        m.initializeParameters(studentManager);
      }
      TrainingConfig tc = TrainingConfig.of(job, "distill.training", method);
      Batcher batcher = batcher(train, tc, enc, seed);
      prefetch = job.intValue("platform.prefetch");
      TeacherSelection selection = objective.teacherSelection();
      if ("all".equals(job.str("platform.teacher-outputs"))) {
        selection = selection.union(TeacherSelection.all(teacher.config().numLayers()));
      }
      String teacherRef = env.modelRef().apply(teacherDir);
      String passKey = passKey(job, task, teacher, teacherRef, selection, tc);
      DevScoreLog devLog = new DevScoreLog();
      TrainState end;
      try (TeacherSource source = env.teachers().create(teacher, selection, job.bool("teacher.dropout"),
          new RunEnvironment.TeacherContext(name, teacherRef, passKey, 0))) {
        Path studentDir = runDir.resolve("student");
        boolean twoStage = "two-stage".equals(job.str("distill.stages"))
            || ("bert-emd".equals(method) && "two-stage".equals(job.str("distill.emd.stages")));
        LoadedModel s = student;
        PhaseTrainer.MethodState state = new PhaseTrainer.MethodState() {
          @Override
          public StateDict state() {
            return objective.state();
          }

          @Override
          public void load(StateDict sd) {
            objective.loadState(sd);
          }
        };
        var devEval = env.evaluations().inProcess()
            ? evaluation(s, dev, evaluator, studentManager, devLog)
            : delegated(s, studentDir.resolve("snapshots"));
        if (twoStage) {
          int interEpochs = job.has("distill.intermediate-epochs") ? job.intValue("distill.intermediate-epochs") : tc.epochs();
          TrainingConfig inter = new TrainingConfig(interEpochs, tc.maxSteps(), tc.batchSize(), tc.gradAccumulation(), tc.lr(),
              tc.optimizer(), tc.weightDecay(), tc.warmup(), tc.maxGradNorm(), tc.evalEvery(), tc.checkpointEvery(),
              tc.logEvery(), tc.dropLast(), tc.batching());
          // The intermediate stage has no prediction loss, so its dev score says little: no evaluation.
          phase("distill-intermediate", s, objective, source, batcher, inter, studentDir.resolve("intermediate"), state, null, seed, p -> Phase.INTERMEDIATE)
              .run(studentManager);
          end = phase("distill-prediction", s, objective, source, batcher, tc, studentDir, state, devEval, seed,
              p -> Phase.PREDICTION).run(studentManager);
        } else {
          end = phase("distill", s, objective, source, batcher, tc, studentDir, state, devEval, seed, p -> Phase.JOINT)
              .run(studentManager);
        }
      }
      if (!env.evaluations().inProcess()) {
        // The evaluator service picks the best snapshot, tests it and exports it.
        Path last = lastSnapshot(runDir.resolve("student").resolve("snapshots"));
        env.evaluations().announce("student", "distill", Long.parseLong(last.getFileName().toString().substring(5)), last, true);
        return new JobResult(name, method, null, null, runDir, null);
      }
      Path best = runDir.resolve("student").resolve("best");
      boolean hasBest = Files.isDirectory(best);
      LoadedModel bestStudent = hasBest ? ModelDirectory.read(best, studentManager) : student;
      MetricSet knownDev = hasBest ? devLog.best(end).orElse(null) : null;
      ModelScore studentScore =
          score("student", bestStudent, task, enc, evaluator, job, studentManager, knownDev, false);
      // The speed-up's two latencies, measured together as the evaluator service measures them.
      Latency.Pair latency = Latency.pairedMedianMillis(
          teacher.model(), bestStudent.model(), job.intValue("task.max-length"), LATENCY_WARMUP, LATENCY_RUNS);
      teacherScore = teacherScore.withLatencyMs(latency.firstMillis());
      studentScore = studentScore.withLatencyMs(latency.secondMillis());
      Path export = null;
      if (job.bool("output.export")) {
        export = runDir.resolve("export");
        ModelDirectory.export(export, bestStudent);
      }
      JobResult result = new JobResult(name, method, teacherScore, studentScore, runDir, export);
      JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("result.json").toFile(), result);
      return result;
    }
  }

  /**
   * Fine-tunes only the job's teacher, whatever {@code teacher.finetune} says, and scores it: the
   * first part of {@link #run}, in the same run directory layout ({@code teacher/best}, resumable
   * {@code teacher/checkpoints}). A teacher already fine-tuned there is reused.
   *
   * @param job the parsed job
   * @param name the job name
   * @return the teacher's score and its best model directory
   * @throws IOException if run files cannot be written
   */
  public TeacherResult fineTuneTeacherOnly(ConfigValues job, String name) throws IOException {
    env.teacherMemo().clear(); // this job's teacher is its own: never hold two
    Torch.noGradOnThisThread();
    TaskData task = new TaskResolver(env.paths()).resolve(job);
    Path runDir = runDir(job, name);
    Files.createDirectories(runDir);
    JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("job.json").toFile(), job.asTree());
    try (NDManager manager = NDManager.newBaseManager()) {
      List<String> single = List.of("default");
      LoadedModel teacher = new ModelFactory(env.paths(), env.loadOptions()).teacher(job, task, single, manager);
      EncodedTask enc = EncodedTask.of(job, teacher.tokenizer(), single);
      Evaluator evaluator = new Evaluator(task.metric(), EVAL_BATCH, enc.buckets());
      Path dir = runDir.resolve("teacher");
      teacher = fineTuneTeacher(job, task, teacher, enc.encode(task.train()), enc.encode(task.dev()), evaluator, dir, manager);
      return new TeacherResult(score("teacher", teacher, task, enc, evaluator, job, manager), dir.resolve("best"), runDir);
    }
  }

  LoadedModel fineTuneTeacher(
      ConfigValues job, TaskData task, LoadedModel teacher, EncodedDataset train, EncodedDataset dev,
      Evaluator evaluator, Path dir, NDManager manager) throws IOException {
    Path best = dir.resolve("best");
    if (Files.exists(dir.resolve("done"))) {
      LOG.info("Teacher already fine-tuned in {}", dir);
      return ModelDirectory.read(best, manager);
    }
    long seed = job.integer("seed");
    TrainingConfig tc = TrainingConfig.of(job, "teacher.training", "none");
    var objective = new FineTuneObjective(task.regression());
    TeacherSource none = (batch, m, timer) -> {
      throw new IllegalStateException("fine-tuning reads no teacher outputs");
    };
    var step = new DistillationStep(teacher.model(), objective, none, s -> Phase.JOINT);
    teacher.model().namedParameters().values().forEach(p -> p.freeze(false));
    PhaseTrainer<Batch> trainer = new PhaseTrainer<>(
        "teacher-finetune", teacher, Map.of(), step, new BatcherPlan(batcher(train, tc, null, seed)), tc,
        new CheckpointStore(dir.resolve("checkpoints"), job.intValue("output.keep-checkpoints")), best,
        noState(), evaluation(teacher, dev, evaluator, manager), env.listeners(), env.cancelled(), seed, Map.of());
    trainer.run(manager);
    Files.writeString(dir.resolve("done"), "");
    return ModelDirectory.read(best, manager);
  }

  private int prefetch;

  private PhaseTrainer<Batch> phase(
      String name, LoadedModel student, DistillationObjective objective, TeacherSource source, Batcher batcher,
      TrainingConfig tc, Path dir, PhaseTrainer.MethodState state,
      java.util.function.Function<dev.retort.core.train.TrainState, Map<String, Double>> devEval, long seed, java.util.function.LongFunction<Phase> phase) {
    BatcherPlan plan = new BatcherPlan(batcher);
    var step = new DistillationStep(student.model(), objective, source, phase)
        .withLookahead(new Lookahead<>(plan, prefetch, tc.totalBatches(plan.batchesPerEpoch())));
    return new PhaseTrainer<>(
        name, student, objective.modules(), step, plan, tc,
        new CheckpointStore(dir.resolve("checkpoints"), 2), dir.resolve("best"), state, devEval,
        env.listeners(), env.cancelled(), seed, Map.of("method", objective.name()));
  }

  /**
   * Returns where a platform job hands its teacher over ({@link TeacherHandover}): {@code
   * teachers/} beside the runs directory, in the artifact store; null in process.
   */
  static Path sharedTeachers(RunEnvironment env) {
    return env.evaluations().inProcess() ? null : env.runsDir().resolveSibling(TeacherHandover.SHARED_DIR);
  }

  /** Writes a snapshot at every evaluation point and announces it to the evaluator service. */
  private java.util.function.Function<dev.retort.core.train.TrainState, Map<String, Double>> delegated(LoadedModel model, Path snapshots) {
    return state -> {
      Path dir = snapshots.resolve(String.format(java.util.Locale.ROOT, "step-%09d", state.step()));
      try {
        ModelDirectory.write(dir, model);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      env.evaluations().announce("student", state.phase(), state.step(), dir, false);
      return Map.of();
    };
  }

  private static Path lastSnapshot(Path snapshots) throws IOException {
    try (var s = Files.list(snapshots)) {
      return s.filter(p -> p.getFileName().toString().startsWith("step-")).max(java.util.Comparator.naturalOrder())
          .orElseThrow(() -> new IllegalStateException("no snapshot in " + snapshots));
    }
  }

  static PhaseTrainer.MethodState noState() {
    return new PhaseTrainer.MethodState() {
      @Override
      public StateDict state() {
        return new StateDict("none");
      }

      @Override
      public void load(StateDict state) {}
    };
  }

  static java.util.function.Function<dev.retort.core.train.TrainState, Map<String, Double>> evaluation(
      LoadedModel model, EncodedDataset dev, Evaluator evaluator, NDManager manager) {
    return evaluation(model, dev, evaluator, manager, new DevScoreLog());
  }

  /** As {@link #evaluation(LoadedModel, EncodedDataset, Evaluator, NDManager)}, recording each score in {@code log}. */
  static java.util.function.Function<dev.retort.core.train.TrainState, Map<String, Double>> evaluation(
      LoadedModel model, EncodedDataset dev, Evaluator evaluator, NDManager manager, DevScoreLog log) {
    return state -> {
      MetricSet m = evaluator.evaluate(model.model(), dev, manager);
      log.record(state, m);
      Map<String, Double> out = new LinkedHashMap<>(m.byKey());
      out.put(TrainingLoop.Evaluation.PRIMARY, m.selection());
      return out;
    };
  }

  static Batcher batcher(EncodedDataset train, TrainingConfig tc, EncodedTask enc, long seed) {
    Batcher.Builder b = Batcher.builder().setData(train).setBatchSize(tc.microBatch())
        .optOrder("shuffle".equals(tc.batching()) ? BatchOrder.RESHUFFLE_EACH_EPOCH : BatchOrder.FIXED_BATCHES)
        .optSeed(seed).optDropLast(tc.dropLast());
    if (enc != null) {
      b.optBuckets(enc.buckets());
    }
    if (train.size() < tc.microBatch()) {
      throw new RetortException("task", "only " + train.size() + " training examples for batches of " + tc.microBatch(),
          "Use more data or a smaller batch size");
    }
    return b.build();
  }

  ModelScore score(String role, LoadedModel m, TaskData task, EncodedTask enc, Evaluator evaluator, ConfigValues job, NDManager manager) {
    return score(role, m, task, enc, evaluator, job, manager, null, true);
  }

  /**
   * Scores a model on dev (unless its dev scores are known) and, when the job asks, on a labelled
   * test split.
   *
   * @param knownDev the model's dev scores from the evaluation that selected it, or null to score
   *     it
   * @param latency whether to measure its latency alone; false leaves NaN, for a caller that
   *     measures it beside another model's ({@link Latency#pairedMedianMillis})
   */
  private static ModelScore score(String role, LoadedModel m, TaskData task, EncodedTask enc, Evaluator evaluator,
      ConfigValues job, NDManager manager, MetricSet knownDev, boolean latency) {
    MetricSet dev = knownDev != null ? knownDev : evaluator.evaluate(m.model(), enc.encode(task.dev()), manager);
    Map<String, Double> test = Map.of();
    Dataset t = task.test();
    if (job.bool("task.evaluate-test") && t.size() > 0 && t.isLabelled()) {
      test = evaluator.evaluate(m.model(), enc.encode(t), manager).byKey();
    }
    double ms = latency
        ? Latency.medianMillis(m.model(), job.intValue("task.max-length"), LATENCY_WARMUP, LATENCY_RUNS) : Double.NaN;
    return new ModelScore(role, dev.selectBy().key(), dev.byKey(), test, m.parameters(), ms);
  }

  /**
   * Scores a teacher as {@link #score} does; on the platform an identical teacher scored before on
   * identical data is not scored again ({@link TeacherScoreCache}, shared with the evaluator
   * service at its default settings): every candidate of a search scores the same teacher.
   */
  ModelScore teacherScore(LoadedModel teacher, Path teacherDir, TaskData task, EncodedTask enc, Evaluator evaluator,
      ConfigValues job, NDManager manager) throws IOException {
    Path shared = sharedTeachers(env);
    if (shared == null) {
      return score("teacher", teacher, task, enc, evaluator, job, manager);
    }
    TeacherScoreCache cache = TeacherScoreCache.inStore(shared.getParent());
    String key = TeacherScoreCache.key(TeacherHandover.contentDigest(teacherDir, shared), job, task,
        job.bool("task.evaluate-test"), SCORER);
    Optional<ModelScore> known = cache.get(key);
    if (known.isPresent()) {
      LOG.info("Teacher {}: scores reused from an identical teacher on identical data", teacher.source());
      return known.get();
    }
    ModelScore s = score("teacher", teacher, task, enc, evaluator, job, manager);
    cache.put(key, s);
    return s;
  }

  /**
   * Returns the run directory of a job: {@code output.dir}, else {@code <runs>/<name>}.
   *
   * @param job the parsed job
   * @param name the job name
   * @return the directory (not created)
   */
  public Path runDir(ConfigValues job, String name) {
    return job.has("output.dir") ? env.paths().output(job.str("output.dir"), "output.dir") : env.runsDir().resolve(name);
  }

  /**
   * The identity of a teacher pass: teacher, data, tokenisation, batching and selection. The
   * teacher is named by its reference and by the directory the teacher service loads ({@code
   * teacherRef}): on the platform a handed-over teacher's directory is named by its content, so a
   * Hugging Face directory whose weights changed between two jobs starts a new pass instead of
   * replaying outputs of the old weights. A fine-tuned teacher's directory is its job's own.
   */
  static String passKey(
      ConfigValues job, TaskData task, LoadedModel teacher, String teacherRef, TeacherSelection sel, TrainingConfig tc) {
    return String.join("|",
        job.str("teacher.model"), teacher.source(), teacherRef, task.fingerprint(), String.valueOf(job.integer("task.max-length")), Arrays.toString(EncodedTask.paddedLengths(job, Methods.positionLosses(job))),
        String.valueOf(tc.microBatch()), tc.batching(), String.valueOf(tc.dropLast()), String.valueOf(job.integer("seed")),
        sel.hiddenLayers().toString(), sel.scoreLayers().toString(), String.valueOf(sel.logits()),
        job.str("platform.teacher-dtype"), String.valueOf(job.bool("teacher.dropout")));
  }
}

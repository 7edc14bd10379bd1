package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.FunctionalHash;
import dev.retort.core.efficientbert.PlainTextCorpus;
import dev.retort.core.efficientbert.PretrainingExamples;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.model.BertModel;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.model.StateDicts;
import dev.retort.core.run.EncodedTask;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.LoadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage of EfficientBERT's search from a job file, in this process.
 *
 * <p>It resolves the task, loads the (already fine-tuned) task teacher and the pre-training
 * teacher, warms up the supernet unless its checkpoint exists, and runs the stage with {@link
 * SearchController}; stage 3 first trains the size-sharing supernet once ({@link
 * SharedSizeTraining}, saved as {@code stage3-supernet.safetensors}). Run directory ({@code
 * output.dir}, default {@code runs/<name>}): {@code search-state.json} (resumable after every
 * candidate), {@code supernet.safetensors} (unless {@code search.supernet-checkpoint} points
 * elsewhere), {@code search-result.txt} and {@code student-snippet.yaml}, the best architecture as
 * a job-file {@code student} section. Running the same job again resumes the stage.
 */
public final class SearchRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SearchRunner.class);

  /** The state file's name in the run directory. */
  public static final String STATE_FILE = "search-state.json";

  private final PathPolicy paths;
  private final LoadOptions loadOptions;
  private final Path runsDir;
  private final BooleanSupplier cancelled;

  /**
   * Creates a runner.
   *
   * @param paths where data and models may be read and outputs written
   * @param loadOptions weight caches, Maven and Hub settings
   * @param runsDir where run directories go when the job does not say
   * @param cancelled polled before every training step and candidate
   */
  public SearchRunner(PathPolicy paths, LoadOptions loadOptions, Path runsDir, BooleanSupplier cancelled) {
    this.paths = paths;
    this.loadOptions = loadOptions;
    this.runsDir = runsDir;
    this.cancelled = cancelled;
  }

  /**
   * Runs (or resumes) the job's search stage until its candidate budget, time limit or a
   * cancellation.
   *
   * @param job the parsed job
   * @param name the job name
   * @return the hall of fame and progress
   * @throws IOException if run files cannot be written
   * @throws RetortException for inconsistent keys, missing files or mismatched shapes
   */
  public SearchResult run(ConfigValues job, String name) throws IOException {
    Torch.noGradOnThisThread();
    SearchConfig cfg = SearchConfig.of(job);
    if (job.bool("teacher.finetune")) {
      throw new RetortException(job.source() + " key 'teacher.finetune'",
          "the search distils from an already fine-tuned teacher and does not fine-tune it",
          "Fine-tune the teacher with retort distill first, then set teacher.model to"
              + " checkpoint:runs/<that job>/teacher/best");
    }
    Path runDir = job.has("output.dir") ? paths.output(job.str("output.dir"), "output.dir") : runsDir.resolve(name);
    Files.createDirectories(runDir);
    TaskData task = new TaskResolver(paths).resolve(job);
    long seed = cfg.seed();
    ModelFactory factory = new ModelFactory(paths, loadOptions);
    List<String> single = List.of("default");
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel teacher = factory.teacher(job, task, single, manager);
      BertModel pre = job.has("search.pretrain-teacher")
          ? factory.load(job.str("search.pretrain-teacher"), "search.pretrain-teacher", task, single, "auto",
              PooledActivation.NONE, seed, manager).model().bert()
          : teacher.model().bert();
      EfficientBertArch dims = SearchConfig.dims(job, teacher.config());
      checkTeachers(job, dims, teacher, pre);
      EncodedTask enc = EncodedTask.of(job, teacher.tokenizer(), single);
      HeadConfig head = new HeadConfig(task.numLabels(), task.regression(), single, PooledActivation.NONE, 0.1f);
      SearchData data = new SearchData(enc.encode(task.train()), enc.encode(task.dev()),
          corpus(job, teacher, seed), enc.buckets(), task.metric(), head);
      SearchTeachers teachers = new SearchTeachers(pre, teacher.model());
      Path supernetFile = job.has("search.supernet-checkpoint")
          ? paths.output(job.str("search.supernet-checkpoint"), "search.supernet-checkpoint")
          : runDir.resolve("supernet.safetensors");
      if (!Files.exists(supernetFile)) {
        requireCorpus(job, data, "the supernet warm-up (" + supernetFile + " does not exist yet)");
      }
      StateDict warm = SupernetWarmup.run(dims, cfg.protocol().options(), pre, teachers.pretrainingLayers(),
          data.corpus(), cfg.protocol().batchSize(), cfg.warmupSteps(), cfg.protocol().pretrainLr(), seed,
          supernetFile, cancelled);
      SearchSpace space = SearchSpace.builder().setDims(dims).setStage(cfg.stage()).optBudget(cfg.budget())
          .optSeeds(seeds(job, cfg)).optHash(FunctionalHash.builder().setHiddenSize(dims.hiddenSize()).build())
          .build();
      CandidateSampler sampler = cfg.learned()
          ? LearnedSampler.builder().setSpace(space).optInitSamples(cfg.initSamples())
              .optTrainInterval(cfg.trainInterval()).optHeightThresholds(cfg.heightThresholds())
              .optMaxTries(cfg.maxTries()).optTuner(new GbdtTuner(cfg.gbdtTrials(), 0.2)).optSeed(seed).build()
          : new RandomSampler(space, 1000);
      CandidateEvaluator evaluator;
      String info;
      Path weights = supernetFile;
      if (cfg.stage() == SearchStage.SIZES) {
        weights = runDir.resolve("stage3-supernet.safetensors");
        evaluator = new SharedWeightEvaluator(shared(space, warm, teachers, data, cfg, weights, manager),
            data.dev(), new DevScorer(data.metric(), 64, data.buckets()), manager);
        info = "shared " + cfg.sharedProtocol();
      } else {
        if (cfg.protocol().pretrainSteps() > 0) {
          requireCorpus(job, data, "search.pretrain-steps > 0");
        }
        KdCandidateEvaluator kd = new KdCandidateEvaluator(dims, warm, teachers, data, cfg.protocol(), cancelled);
        evaluator = kd;
        info = kd.describe();
      }
      SearchResult result = SearchController.builder()
          .setSpace(space).setSampler(sampler).setEvaluator(evaluator)
          .setStateFile(runDir.resolve(STATE_FILE)).optSeed(seed).optCandidates(cfg.candidates())
          .optTimeLimit(cfg.timeLimit()).optHallOfFameSize(cfg.hallOfFame())
          .optInitialCandidates(cfg.stage() == SearchStage.OPS_AND_SIZES && !cfg.initExpressions().isEmpty()
              ? List.of(cfg.initExpressions()) : List.of())
          .optSupernetCheckpoint(weights.toAbsolutePath().toString()).optEvaluatorInfo(info)
          .optCancelled(cancelled).build().run();
      Files.writeString(runDir.resolve("search-result.txt"), result.describe());
      if (!result.hallOfFame().isEmpty()) {
        Files.writeString(runDir.resolve("student-snippet.yaml"), result.jobSnippet(dims));
      }
      LOG.info("{}", result.describe());
      return result;
    }
  }

  private EfficientBertModel shared(
      SearchSpace space, StateDict warm, SearchTeachers teachers, SearchData data, SearchConfig cfg,
      Path file, NDManager manager) throws IOException {
    if (Files.exists(file)) {
      EfficientBertModel model = SharedSizeTraining.emptyModel(space.dims(), cfg.sharedProtocol(), data);
      StateDicts.load(model, SupernetStore.read(file, space.dims()), manager, LoadPolicy.STRICT);
      LOG.info("Reusing the stage-3 size-sharing supernet {}", file);
      return model;
    }
    EfficientBertModel model = SharedSizeTraining.train(
        space, warm, teachers, data, cfg.sharedProtocol(), cfg.seed(), manager, cancelled);
    if (!cancelled.getAsBoolean()) {
      SupernetStore.write(file, model);
    }
    return model;
  }

  private List<List<Expr>> seeds(ConfigValues job, SearchConfig cfg) {
    if (job.has("search.previous-stage")) {
      Path file = paths.data(job.str("search.previous-stage"), "search.previous-stage");
      SearchState prev = new SearchStateStore(file).read().orElseThrow(() -> new RetortException(
          job.source() + " key 'search.previous-stage'", file + " does not exist",
          "Point it at the search-state.json of the previous stage's run directory"));
      if (prev.stage() != cfg.stage().number() - 1 || prev.history().isEmpty()) {
        throw new RetortException(job.source() + " key 'search.previous-stage'",
            file + " is stage " + prev.stage() + " with " + prev.history().size() + " candidates",
            "Give the state of stage " + (cfg.stage().number() - 1) + " after it evaluated candidates");
      }
      int k = cfg.stage() == SearchStage.OPS ? 2 : 1;
      return HallOfFame.top(prev.history(), k).stream().map(c -> c.spec().layers()).toList();
    }
    return cfg.initExpressions().isEmpty() ? List.of() : List.of(cfg.initExpressions());
  }

  private EncodedDataset corpus(ConfigValues job, LoadedModel teacher, long seed) {
    if (!job.has("search.corpus")) {
      return null;
    }
    PlainTextCorpus corpus = PlainTextCorpus.read(paths.data(job.str("search.corpus"), "search.corpus"), teacher.tokenizer());
    return PretrainingExamples.builder().setCorpus(corpus).optMaxLength(job.intValue("task.max-length"))
        .optSeed(seed).build().toDataset(0);
  }

  private static void requireCorpus(ConfigValues job, SearchData data, String why) {
    if (data.corpus() == null) {
      throw new RetortException(job.source() + " key 'search.corpus'", "is required for " + why,
          "Give a plain-text file: one sentence per line, blank lines between documents");
    }
  }

  private static void checkTeachers(ConfigValues job, EfficientBertArch dims, LoadedModel teacher, BertModel pre) {
    int a = teacher.config().numHeads();
    int p = pre.config().numHeads();
    if (dims.numHeads() != a || dims.numHeads() != p) {
      throw new RetortException(job.source() + " key 'student.heads'",
          "attention distillation needs equal head counts: the student has " + dims.numHeads()
              + ", the teachers " + a + " and " + p,
          "Give the student " + a + " heads (its hidden size must be a multiple)");
    }
    if (pre.config().hiddenSize() != teacher.config().hiddenSize()) {
      throw new RetortException(job.source() + " key 'search.pretrain-teacher'",
          "is " + pre.config().hiddenSize() + " wide but the task teacher " + teacher.config().hiddenSize()
              + "; the student's one fit_dense serves both",
          "Use a pre-trained teacher of the task teacher's width (usually the model it was fine-tuned from)");
    }
    for (int n : new int[] {teacher.config().numLayers(), pre.config().numLayers()}) {
      if (n % dims.numLayers() != 0) {
        throw new RetortException(job.source() + " key 'student.layers'",
            "a teacher has " + n + " layers, not a multiple of the student's " + dims.numLayers(),
            "Use a layer count that divides " + n);
      }
    }
  }
}

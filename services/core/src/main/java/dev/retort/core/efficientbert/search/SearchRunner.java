package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.FunctionalHash;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.StateDicts;
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
 * <p>It loads the {@link SearchInputs} (the task, the already fine-tuned task teacher and the
 * pre-training teacher), warms up the supernet unless its checkpoint exists, and runs the stage
 * with {@link SearchController}; stage 3 first trains the size-sharing supernet once ({@link
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
  private CandidateDispatch dispatch;

  /**
   * Creates a runner.
   *
   * @param paths where data and models may be read and outputs written
   * @param loadOptions weight caches, Maven and Hub settings
   * @param runsDir where run directories go when the job does not say
   * @param cancelled polled before every training step and candidate
   */
  public SearchRunner(
      PathPolicy paths, LoadOptions loadOptions, Path runsDir, BooleanSupplier cancelled) {
    this.paths = paths;
    this.loadOptions = loadOptions;
    this.runsDir = runsDir;
    this.cancelled = cancelled;
  }

  /**
   * Sets how candidates are sent to the platform when the job says {@code search.dispatch:
   * platform}.
   *
   * @param d creates the platform evaluator
   * @return this runner
   */
  public SearchRunner withDispatch(CandidateDispatch d) {
    this.dispatch = d;
    return this;
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
      throw new RetortException(
          job.source() + " key 'teacher.finetune'",
          "the search distils from an already fine-tuned teacher and does not fine-tune it",
          "Fine-tune it first with 'retort finetune' on this job, then set teacher.model to"
              + " checkpoint:DIR, the best teacher directory it prints, and teacher.finetune to"
              + " false");
    }
    Path runDir =
        job.has("output.dir")
            ? paths.output(job.str("output.dir"), "output.dir")
            : runsDir.resolve(name);
    Files.createDirectories(runDir);
    try (NDManager manager = NDManager.newBaseManager()) {
      SearchInputs in = SearchInputs.load(job, cfg, paths, loadOptions, manager);
      Path supernetFile =
          job.has("search.supernet-checkpoint")
              ? paths.output(job.str("search.supernet-checkpoint"), "search.supernet-checkpoint")
              : runDir.resolve("supernet.safetensors");
      if (!Files.exists(supernetFile)) {
        in.requireCorpus(job, "the supernet warm-up (" + supernetFile + " does not exist yet)");
      }
      KdProtocol p = cfg.protocol();
      StateDict warm =
          SupernetWarmup.run(
              in.dims(),
              p.options(),
              in.teachers().pretraining(),
              in.teachers().pretrainingLayers(),
              in.data().corpus(),
              p.batchSize(),
              cfg.warmupSteps(),
              p.pretrainLr(),
              cfg.seed(),
              supernetFile,
              cancelled);
      SearchSpace space =
          SearchSpace.builder()
              .setDims(in.dims())
              .setStage(cfg.stage())
              .optBudget(cfg.budget())
              .optSeeds(in.seeds())
              .optHash(FunctionalHash.builder().setHiddenSize(in.dims().hiddenSize()).build())
              .build();
      CandidateEvaluator evaluator;
      String info;
      Path weights = supernetFile;
      if (cfg.stage() == SearchStage.SIZES) {
        if (cfg.sharedProtocol().pretrainSteps() > 0) {
          in.requireCorpus(job, "search.shared-pretrain-steps > 0");
        }
        weights = runDir.resolve("stage3-supernet.safetensors");
        EfficientBertModel shared = shared(space, warm, in, cfg, weights, manager);
        evaluator =
            new SharedWeightEvaluator(
                shared,
                in.data().heldOut(),
                new DevScorer(in.data().metric(), 64, in.data().buckets()),
                manager);
        info = "shared " + cfg.sharedProtocol() + " heldout=" + in.data().heldOut().size();
      } else if ("platform".equals(job.str("search.dispatch"))) {
        if (p.pretrainSteps() > 0) {
          in.requireCorpus(job, "search.pretrain-steps > 0");
        }
        if (dispatch == null) {
          throw new RetortException(
              job.source() + " key 'search.dispatch'",
              "platform dispatch needs a connection to the platform",
              "Run the search with 'retort search --platform', or set search.dispatch: in-process");
        }
        evaluator = new ArchParameterCount(dispatch.create(job, name, supernetFile, cancelled), in.dims());
        info = evaluator.describe();
      } else {
        if (p.pretrainSteps() > 0) {
          in.requireCorpus(job, "search.pretrain-steps > 0");
        }
        KdCandidateEvaluator kd =
            new KdCandidateEvaluator(in.dims(), warm, in.teachers(), in.data(), p, cancelled);
        evaluator = kd;
        info = kd.describe();
      }
      boolean initial =
          cfg.stage() == SearchStage.OPS_AND_SIZES && !cfg.initExpressions().isEmpty();
      SearchResult result =
          SearchController.builder()
              .setSpace(space)
              .setSampler(sampler(cfg, space))
              .setEvaluator(evaluator)
              .setStateFile(runDir.resolve(STATE_FILE))
              .optSeed(cfg.seed())
              .optCandidates(cfg.candidates())
              .optTimeLimit(cfg.timeLimit())
              .optHallOfFameSize(cfg.hallOfFame())
              .optInitialCandidates(initial ? List.of(cfg.initExpressions()) : List.of())
              .optSupernetCheckpoint(weights.toAbsolutePath().toString())
              .optEvaluatorInfo(info)
              .optCancelled(cancelled)
              .optParallel(SearchConfig.parallel(job))
              .build()
              .run();
      Files.writeString(runDir.resolve("search-result.txt"), result.describe());
      if (!result.hallOfFame().isEmpty()) {
        Files.writeString(runDir.resolve("student-snippet.yaml"), result.jobSnippet(in.dims(), supernetFile.toAbsolutePath().toString()));
      }
      LOG.info("{}", result.describe());
      return result;
    }
  }

  private static CandidateSampler sampler(SearchConfig cfg, SearchSpace space) {
    if (!cfg.learned()) {
      return new RandomSampler(space, 1000);
    }
    return LearnedSampler.builder()
        .setSpace(space)
        .optInitSamples(cfg.initSamples())
        .optTrainInterval(cfg.trainInterval())
        .optHeightThresholds(cfg.heightThresholds())
        .optMaxTries(cfg.maxTries())
        .optTuner(new GbdtTuner(cfg.gbdtTrials(), 0.2))
        .optSeed(cfg.seed())
        .build();
  }

  /** Trains the stage-3 size-sharing supernet, or reads it when an earlier run saved it. */
  private EfficientBertModel shared(
      SearchSpace space,
      StateDict warm,
      SearchInputs in,
      SearchConfig cfg,
      Path file,
      NDManager manager)
      throws IOException {
    if (Files.exists(file)) {
      EfficientBertModel model =
          SharedSizeTraining.emptyModel(space.dims(), cfg.sharedProtocol(), in.data());
      StateDicts.load(model, SupernetStore.read(file, space.dims()), manager, LoadPolicy.STRICT);
      LOG.info("Reusing the stage-3 size-sharing supernet {}", file);
      return model;
    }
    EfficientBertModel model =
        SharedSizeTraining.train(
            space,
            warm,
            in.teachers(),
            in.data(),
            cfg.sharedProtocol(),
            cfg.seed(),
            manager,
            cancelled);
    if (!cancelled.getAsBoolean()) {
      SupernetStore.write(file, model);
    }
    return model;
  }
}

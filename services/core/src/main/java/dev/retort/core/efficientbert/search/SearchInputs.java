package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.PlainTextCorpus;
import dev.retort.core.efficientbert.PretrainingExamples;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.model.BertModel;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.run.EncodedTask;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.weights.LoadOptions;
import java.util.List;

/**
 * What a search job reads before it searches: the supernet's dimensions, the two teachers, the
 * encoded task and corpus, and the previous stage's best candidates.
 *
 * <p>The task's training split is cut by the stage's {@link FitnessHoldout}: candidates train on
 * its head and are scored on its tail. The dev and test splits are not read.
 *
 * @param dims the supernet's dimensions and layer count
 * @param teachers the pre-training and task teachers
 * @param data the encoded task and corpus
 * @param seeds the seed candidates of the stage, best first (see {@link
 *     SearchSpace.Builder#optSeeds})
 */
public record SearchInputs(
    EfficientBertArch dims, SearchTeachers teachers, SearchData data, List<List<Expr>> seeds) {

  /**
   * Loads everything a job's search stage needs.
   *
   * @param job the job
   * @param cfg its search keys
   * @param paths where inputs may be read from
   * @param loadOptions weight caches, Maven and Hub settings
   * @param manager where the teachers' weights live
   * @return the inputs
   * @throws RetortException for a teacher of the wrong shape, a missing previous stage, or a
   *     training split too small to hold out the fitness examples
   */
  public static SearchInputs load(
      ConfigValues job,
      SearchConfig cfg,
      PathPolicy paths,
      LoadOptions loadOptions,
      NDManager manager) {
    TaskData task = new TaskResolver(paths).resolve(job, true);
    FitnessHoldout.Split split = split(job, cfg, task);
    ModelFactory factory = new ModelFactory(paths, loadOptions);
    List<String> single = List.of("default");
    LoadedModel teacher = factory.teacher(job, task, single, manager);
    BertModel pre = teacher.model().bert();
    if (job.has("search.pretrain-teacher")) {
      String ref = job.str("search.pretrain-teacher");
      pre =
          factory
              .load(
                  ref,
                  "search.pretrain-teacher",
                  task,
                  single,
                  "auto",
                  PooledActivation.NONE,
                  cfg.seed(),
                  manager)
              .model()
              .bert();
    }
    EfficientBertArch dims = SearchConfig.dims(job, teacher.config());
    checkTeachers(job, dims, teacher, pre);
    EncodedTask enc = EncodedTask.of(job, teacher.tokenizer(), single, true);
    HeadConfig head =
        new HeadConfig(task.numLabels(), task.regression(), single, PooledActivation.NONE, 0.1f);
    SearchData data =
        new SearchData(
            enc.encode(split.train()),
            enc.encode(split.heldOut()),
            corpus(job, paths, teacher, cfg.seed()),
            enc.buckets(),
            task.metric(),
            head);
    return new SearchInputs(
        dims, new SearchTeachers(pre, teacher.model()), data, seeds(job, cfg, paths));
  }

  /**
   * Fails unless a corpus was given.
   *
   * @param job the job, for the error
   * @param why what needs the corpus
   * @throws RetortException without a corpus
   */
  public void requireCorpus(ConfigValues job, String why) {
    if (data.corpus() == null) {
      throw new RetortException(
          job.source() + " key 'search.corpus'",
          "is required for " + why,
          "Give a plain-text file: one sentence per line, blank lines between documents");
    }
  }

  /** Cuts the training split, or says how to make it large enough. */
  private static FitnessHoldout.Split split(ConfigValues job, SearchConfig cfg, TaskData task) {
    FitnessHoldout h = cfg.holdout();
    int n = task.train().size();
    if (!h.fits(n)) {
      throw new RetortException(
          job.source() + " key '" + SearchConfig.holdoutKey(cfg.stage()) + "'",
          "the search scores candidates on the last "
              + h.size(n)
              + " training examples (at least search.holdout-min-examples = "
              + h.minExamples()
              + "), but the training split of "
              + task.name()
              + " has only "
              + n
              + ", leaving none to train on",
          "Use more training data (task.max-train-examples, task.sample-size) or lower"
              + " search.holdout-min-examples below "
              + n);
    }
    return h.split(task.train());
  }

  private static List<List<Expr>> seeds(ConfigValues job, SearchConfig cfg, PathPolicy paths) {
    if (!job.has("search.previous-stage")) {
      return cfg.initExpressions().isEmpty() ? List.of() : List.of(cfg.initExpressions());
    }
    java.nio.file.Path file = paths.data(job.str("search.previous-stage"), "search.previous-stage");
    String key = job.source() + " key 'search.previous-stage'";
    SearchState prev =
        new SearchStateStore(file)
            .read()
            .orElseThrow(
                () ->
                    new RetortException(
                        key,
                        file + " does not exist",
                        "Point it at the search-state.json of the previous stage's run directory"));
    int want = cfg.stage().number() - 1;
    if (prev.stage() != want || prev.history().isEmpty()) {
      throw new RetortException(
          key,
          file + " is stage " + prev.stage() + " with " + prev.history().size() + " candidates",
          "Give the state of stage " + want + " after it evaluated candidates");
    }
    int k = cfg.stage() == SearchStage.OPS ? 2 : 1;
    return HallOfFame.top(prev.history(), k).stream().map(c -> c.spec().layers()).toList();
  }

  private static EncodedDataset corpus(
      ConfigValues job, PathPolicy paths, LoadedModel teacher, long seed) {
    if (!job.has("search.corpus")) {
      return null;
    }
    PlainTextCorpus corpus =
        PlainTextCorpus.read(
            paths.data(job.str("search.corpus"), "search.corpus"), teacher.tokenizer());
    return PretrainingExamples.builder()
        .setCorpus(corpus)
        .optMaxLength(job.intValue("task.max-length"))
        .optSeed(seed)
        .build()
        .toDataset(0);
  }

  private static void checkTeachers(
      ConfigValues job, EfficientBertArch dims, LoadedModel teacher, BertModel pre) {
    int a = teacher.config().numHeads();
    int p = pre.config().numHeads();
    if (dims.numHeads() != a || dims.numHeads() != p) {
      throw new RetortException(
          job.source() + " key 'student.heads'",
          "attention distillation needs equal head counts: the student has "
              + dims.numHeads()
              + ", the teachers "
              + a
              + " and "
              + p,
          "Give the student " + a + " heads (its hidden size must be a multiple)");
    }
    if (pre.config().hiddenSize() != teacher.config().hiddenSize()) {
      throw new RetortException(
          job.source() + " key 'search.pretrain-teacher'",
          "is "
              + pre.config().hiddenSize()
              + " wide but the task teacher "
              + teacher.config().hiddenSize()
              + "; the student's one fit_dense serves both",
          "Use a pre-trained teacher of the task teacher's width (usually the model it was"
              + " fine-tuned from)");
    }
    for (int n : new int[] {teacher.config().numLayers(), pre.config().numLayers()}) {
      if (n % dims.numLayers() != 0) {
        throw new RetortException(
            job.source() + " key 'student.layers'",
            "a teacher has " + n + " layers, not a multiple of the student's " + dims.numLayers(),
            "Use a layer count that divides " + n);
      }
    }
  }
}

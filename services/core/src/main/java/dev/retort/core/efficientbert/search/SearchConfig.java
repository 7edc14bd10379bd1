package dev.retort.core.efficientbert.search;

import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.ExprParser;
import dev.retort.core.efficientbert.Supernet;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.model.BertConfig;
import dev.retort.core.run.Methods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A job's {@code search} section and EfficientBERT student keys, read once and checked.
 *
 * @param stage the stage to run
 * @param learned whether the learned sampler is used (else random search)
 * @param candidates candidates of this stage over all runs
 * @param protocol the training of each candidate (stages 1, 2)
 * @param budget the parameter budget
 * @param timeLimit the wall time after which no new candidate starts, or null
 * @param warmupSteps the supernet warm-up's steps
 * @param sharedProtocol the size-sharing supernet's training (stage 3)
 * @param holdout the tail of the training split this stage's fitness is measured on ({@code
 *     search.holdout-fraction} for stages 1 and 2, {@code search.shared-holdout-fraction} for stage
 *     3, at least {@code search.holdout-min-examples})
 * @param initSamples learned sampler: random candidates first
 * @param trainInterval learned sampler: candidates between re-fits
 * @param heightThresholds learned sampler: tree height thresholds
 * @param maxTries learned sampler: draws per proposal
 * @param gbdtTrials hyper-parameter trials per classifier
 * @param hallOfFame best candidates kept
 * @param seed the job's seed
 * @param initExpressions {@code student.ffn-expressions}, or empty
 */
public record SearchConfig(
    SearchStage stage,
    boolean learned,
    int candidates,
    KdProtocol protocol,
    ParamBudget budget,
    Duration timeLimit,
    long warmupSteps,
    KdProtocol sharedProtocol,
    FitnessHoldout holdout,
    int initSamples,
    int trainInterval,
    List<Integer> heightThresholds,
    int maxTries,
    int gbdtTrials,
    int hallOfFame,
    long seed,
    List<Expr> initExpressions) {

  /** The default hidden size of an EfficientBERT student (the reference's 540). */
  public static final int DEFAULT_HIDDEN = 540;

  /** The default layer count (6). */
  public static final int DEFAULT_LAYERS = 6;

  /** Copies the lists. */
  public SearchConfig {
    heightThresholds = List.copyOf(heightThresholds);
    initExpressions = List.copyOf(initExpressions);
  }

  /**
   * Reads the keys.
   *
   * @param job the job
   * @return the configuration
   * @throws RetortException if a value is out of range, or a {@code distill} key asks for what an
   *     EfficientBERT student cannot do (see {@link Methods#checkTerms})
   */
  public static SearchConfig of(ConfigValues job) {
    // The candidates are EfficientBERT students: keys they cannot honour are refused now.
    Methods.checkStages(job, true);
    Methods.checkTerms(job, true);
    int batch = job.intValue("search.batch-size");
    double lr = job.doubleValue("search.lr");
    double plr = job.doubleValue("search.pretrain-lr");
    long evalEvery = job.intValue("search.eval-every");
    float dropout = (float) job.doubleValue("student.dropout");
    var options = dev.retort.core.efficientbert.AutoBertOptions.reference().withDropout(dropout);
    KdProtocol candidate =
        new KdProtocol(
            job.integer("search.pretrain-steps"),
            job.integer("search.steps-per-candidate"),
            batch,
            plr,
            lr,
            evalEvery,
            options);
    KdProtocol shared =
        new KdProtocol(
            job.integer("search.shared-pretrain-steps"),
            Math.max(1, job.integer("search.shared-steps")),
            batch,
            plr,
            lr,
            evalEvery,
            options);
    Long minutes = job.integer("search.time-limit-minutes");
    List<Integer> thresholds = new ArrayList<>();
    job.integers("search.height-thresholds").forEach(t -> thresholds.add(Math.toIntExact(t)));
    Collections.sort(thresholds);
    List<Expr> init = new ArrayList<>();
    List<String> texts = job.strings("student.ffn-expressions");
    if (texts != null) {
      texts.forEach(t -> init.add(ExprParser.parse(t)));
    }
    SearchStage stage = SearchStage.of(job.intValue("search.stage"));
    return new SearchConfig(
        stage,
        "learned".equals(job.str("search.sampler")),
        positive(job, "search.candidates", 0),
        candidate,
        new ParamBudget(
            job.integer("search.budget-min-params"), job.integer("search.budget-max-params")),
        minutes == null ? null : Duration.ofMinutes(minutes),
        positive(job, "search.warmup-steps", 1),
        shared,
        holdout(job, stage),
        positive(job, "search.init-samples", 1),
        positive(job, "search.train-interval", 1),
        thresholds,
        positive(job, "search.max-tries", 1),
        positive(job, "search.gbdt-trials", 1),
        positive(job, "search.hall-of-fame", 1),
        job.integer("seed"),
        init);
  }

  /**
   * Returns the supernet's dimensions from the {@code student} keys: hidden-size (default 540),
   * heads (default the teacher's), layers (default 6, or the number of ffn-expressions),
   * embedding-size (default 128), intermediate-size (default the hidden size); the vocabulary and
   * the distillation width F come from the teacher.
   *
   * @param job the job
   * @param teacher the teacher's configuration
   * @return the dimensions, every layer the largest FFN
   */
  public static EfficientBertArch dims(ConfigValues job, BertConfig teacher) {
    int hidden =
        job.has("student.hidden-size") ? job.intValue("student.hidden-size") : DEFAULT_HIDDEN;
    List<String> exprs = job.strings("student.ffn-expressions");
    int layers =
        job.has("student.layers")
            ? job.intValue("student.layers")
            : exprs != null ? exprs.size() : DEFAULT_LAYERS;
    if (exprs != null && exprs.size() != layers) {
      throw new RetortException(
          job.source() + " key 'student.ffn-expressions'",
          "lists " + exprs.size() + " expressions for a " + layers + "-layer student",
          "Give one expression per layer");
    }
    int heads = job.has("student.heads") ? job.intValue("student.heads") : teacher.numHeads();
    EfficientBertArch.Builder b =
        EfficientBertArch.builder()
            .setHiddenSize(hidden)
            .setLayerExpressions(Collections.nCopies(layers, Supernet.baseExpression(null)))
            .optNumHeads(heads)
            .optVocabSize(teacher.vocabSize())
            .optMaxPositions(teacher.maxPositions())
            .optTypeVocabSize(teacher.typeVocabSize())
            .optFitSize(teacher.hiddenSize());
    if (job.has("student.embedding-size")) {
      b.optEmbeddingSize(job.intValue("student.embedding-size"));
    }
    if (job.has("student.intermediate-size")) {
      b.optFfnHiddenSize(job.intValue("student.intermediate-size"));
    }
    return b.build();
  }

  /**
   * Reads {@code search.parallel}.
   *
   * @param job the job
   * @return the population size, at least 1
   * @throws RetortException if it is below 1
   */
  public static int parallel(ConfigValues job) {
    return positive(job, "search.parallel", 1);
  }

  /**
   * Returns the key of a stage's held-out fraction.
   *
   * @param stage the stage
   * @return {@code search.shared-holdout-fraction} for stage 3, else {@code search.holdout-fraction}
   */
  static String holdoutKey(SearchStage stage) {
    return stage == SearchStage.SIZES ? "search.shared-holdout-fraction" : "search.holdout-fraction";
  }

  private static FitnessHoldout holdout(ConfigValues job, SearchStage stage) {
    String key = holdoutKey(stage);
    double fraction = job.doubleValue(key);
    if (!(fraction >= 0 && fraction < 1)) {
      throw new RetortException(
          job.source() + " key '" + key + "'",
          "must be in [0, 1), got " + fraction,
          "Use e.g. 0.01 for the last 1% of the training split");
    }
    return new FitnessHoldout(fraction, positive(job, "search.holdout-min-examples", 1));
  }

  private static int positive(ConfigValues job, String key, int min) {
    long v = job.integer(key);
    if (v < min || v > Integer.MAX_VALUE) {
      throw new RetortException(
          job.source() + " key '" + key + "'",
          "must be at least " + min + ", got " + v,
          "Fix the value");
    }
    return (int) v;
  }
}

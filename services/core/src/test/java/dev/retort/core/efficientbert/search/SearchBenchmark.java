package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Example;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.LinearSize;
import dev.retort.core.efficientbert.PlainTextCorpus;
import dev.retort.core.efficientbert.PretrainingExamples;
import dev.retort.core.efficientbert.Supernet;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.run.EncodedTask;
import dev.retort.core.run.Evaluator;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelDirectory;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.weights.LoadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Nightly benchmark: at an equal parameter budget, does the searched FFN beat the plain GELU FFN
 * after the same training? Not part of CI; run with
 *
 * <pre>
 * mvn -B -ntp -pl services/core test -Dtest=SearchBenchmark -Dnightly=true
 * </pre>
 *
 * <p>Method, all on the generated sample data (4 domains, 3 labels; {@code benchmark.*} system
 * properties override the sizes):
 *
 * <ol>
 *   <li>Teacher: all-MiniLM-L6-v2 (6 layers, H 384, 12 heads) fine-tuned on the task. The
 *       pre-training teacher is the same MiniLM before fine-tuning.
 *   <li>Corpus: the training reviews as plain text, 10 per document.
 *   <li>Supernet: 3 layers, H 120, 12 heads, E 32, warmed up with pre-training KD.
 *   <li>Baseline: every layer {@code linear1_1(gelu(linear1_1(x,wb1)),wb2)}, one GELU FFN of width
 *       H. Its parameter count P is the budget: candidates must have between 0.97 P and P.
 *   <li>Stage-1 search with the learned sampler (8 candidates, the first 4 random); each candidate
 *       gets 31 pre-training KD steps and 250 downstream KD steps (lr 1e-3, batch 32, max length
 *       32). Fewer downstream steps leave every student at the majority class on this data, so all
 *       candidates tie.
 *   <li>Final: the search's best and the baseline are trained with the same, longer protocol (100
 *       pre-training and 800 downstream KD steps, weights inherited from the same supernet, the
 *       same five seeds), and their best dev accuracies are printed with their means, and the
 *       per-seed differences with their mean and standard error: one or two seeds cannot tell a
 *       difference of a few dev examples from the seed spread.
 * </ol>
 *
 * <p>About 11,000 training steps with a MiniLM teacher: about 35 minutes on two free CPU cores
 * (the search about 10, each final run about 2). The search's state is kept in {@code
 * benchmark.dir}, so a second run with more seeds only trains the finals. {@code
 * benchmark.candidates}, {@code benchmark.steps}, {@code benchmark.final-steps}, {@code
 * benchmark.seeds}, {@code benchmark.lr}, {@code benchmark.teacher-steps} and {@code
 * benchmark.warmup-steps} change the sizes; {@code benchmark.dir} the working directory, where the
 * fine-tuned teacher and the warmed-up supernet are kept and reused.
 */
class SearchBenchmark {
  private static final int HIDDEN = 120;
  private static final int LAYERS = 3;
  private static final String BASELINE = "linear1_1(gelu(linear1_1(x,wb1)),wb2)";
  private static final double LR = Double.parseDouble(System.getProperty("benchmark.lr", "1e-3"));

  @Test
  @EnabledIfSystemProperty(named = "retort.nightly", matches = "true")
  void searchedFfnAgainstPlainGeluAtEqualBudget() throws Exception {
    run(Path.of(System.getProperty("benchmark.dir", "target/search-benchmark")));
  }

  /**
   * Runs the benchmark outside JUnit.
   *
   * @param args optional working directory
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    run(Path.of(args.length > 0 ? args[0] : "target/search-benchmark"));
  }

  static void run(Path dir) throws Exception {
    Files.createDirectories(dir);
    int candidates = Integer.getInteger("benchmark.candidates", 8);
    int steps = Integer.getInteger("benchmark.steps", 250);
    int finalSteps = Integer.getInteger("benchmark.final-steps", 800);
    int seeds = Integer.getInteger("benchmark.seeds", 5);
    long t0 = System.nanoTime();
    ConfigValues base = job(dir, "", 0, "checkpoint:" + dir.resolve("teacher"));
    if (!Files.exists(dir.resolve("teacher"))) {
      fineTuneTeacher(dir, Integer.getInteger("benchmark.teacher-steps", 300));
    }
    writeCorpus(dir, new TaskResolver(PathPolicy.unrestricted()).resolve(base));

    EfficientBertArch dims = dims();
    List<Expr> baseline =
        Collections.nCopies(LAYERS, dev.retort.core.efficientbert.ExprParser.parse(BASELINE));
    long budget = dims.withLayerExpressions(baseline).paramCount();
    String search =
        String.join(
            "\n",
            "  candidates: " + candidates,
            "  steps-per-candidate: " + steps,
            "  pretrain-steps: " + steps / 8,
            "  eval-every: " + Math.max(1, steps / 5),
            "  lr: " + LR,
            "  budget-min-params: " + (long) (0.97 * budget),
            "  budget-max-params: " + budget,
            "  init-samples: " + candidates / 2,
            "  train-interval: 2",
            "  max-tries: 5000",
            "  gbdt-trials: 5");
    ConfigValues job = job(dir, search, candidates, "checkpoint:" + dir.resolve("teacher"));
    SearchResult result =
        new SearchRunner(PathPolicy.unrestricted(), LoadOptions.defaults(), dir, () -> false)
            .run(job, "search");
    System.out.println(result.describe());

    List<String> best = result.best().spec().expressions();
    double[] searched = finalScores(dir, job, best, finalSteps, seeds);
    double[] gelu = finalScores(dir, job, Collections.nCopies(LAYERS, BASELINE), finalSteps, seeds);
    String report =
        String.format(
            Locale.ROOT,
            "EfficientBERT search benchmark (sample data, %d candidates x %d steps, final %d steps,"
                + " %d seeds, %.0f min)%n  budget: at most %,d parameters (the GELU baseline)%n "
                + " searched FFN (%,d params): dev acc %s mean %.4f%n    %s%n  plain GELU FFN (%,d"
                + " params): dev acc %s mean %.4f%n  searched - GELU per seed: %s, mean %+.4f"
                + " (standard error %.4f); the searched FFN is ahead in %d of %d seeds%n",
            candidates,
            steps,
            finalSteps,
            seeds,
            (System.nanoTime() - t0) / 6e10,
            budget,
            result.best().fitness().parameters(),
            java.util.Arrays.toString(searched),
            mean(searched),
            String.join(" | ", best),
            budget,
            java.util.Arrays.toString(gelu),
            mean(gelu),
            java.util.Arrays.toString(difference(searched, gelu)),
            mean(difference(searched, gelu)),
            standardError(difference(searched, gelu)),
            java.util.Arrays.stream(difference(searched, gelu)).filter(d -> d > 0).count(),
            seeds);
    System.out.println(report);
    Files.writeString(dir.resolve("benchmark-result.txt"), result.describe() + report);
  }

  /** Trains one architecture with the final protocol from the warmed-up supernet, per seed. */
  private static double[] finalScores(
      Path dir, ConfigValues job, List<String> layers, int steps, int seeds) throws IOException {
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
    ModelFactory factory = new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults());
    List<String> single = List.of("default");
    double[] out = new double[seeds];
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel teacher = factory.teacher(job, task, single, manager);
      LoadedModel pre =
          factory.load(
              "all-minilm-l6-v2",
              "pretrain",
              task,
              single,
              "auto",
              PooledActivation.NONE,
              1,
              manager);
      EncodedTask enc = EncodedTask.of(job, teacher.tokenizer(), single);
      // The final comparison trains on all of train and reports dev; only the search holds out.
      SearchData data =
          new SearchData(
              enc.encode(task.train()),
              enc.encode(task.dev()),
              corpus(dir, teacher),
              enc.buckets(),
              task.metric(),
              new HeadConfig(task.numLabels(), false, single, PooledActivation.NONE, 0.1f));
      EfficientBertArch dims = dims();
      var warm = SupernetStore.read(dir.resolve("supernet.safetensors"), dims);
      KdProtocol protocol =
          new KdProtocol(
              steps / 8,
              steps,
              32,
              1e-4,
              LR,
              Math.max(1, steps / 10),
              dev.retort.core.efficientbert.AutoBertOptions.reference());
      var evaluator =
          new KdCandidateEvaluator(
              dims,
              warm,
              new SearchTeachers(pre.model().bert(), teacher.model()),
              data,
              protocol,
              () -> false);
      for (int s = 0; s < seeds; s++) {
        out[s] = evaluator.evaluate(new CandidateSpec(s, 1, layers, 1000 + s)).value();
      }
    }
    return out;
  }

  private static EfficientBertArch dims() {
    return EfficientBertArch.builder()
        .setHiddenSize(HIDDEN)
        .setLayerExpressions(
            Collections.nCopies(LAYERS, Supernet.baseExpression(LinearSize.of(4, 1))))
        .optNumHeads(12)
        .optEmbeddingSize(32)
        .optFitSize(384)
        .build();
  }

  private static void fineTuneTeacher(Path dir, int steps) throws IOException {
    ConfigValues job = job(dir, "", 0, "all-minilm-l6-v2");
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
    try (NDManager manager = NDManager.newBaseManager()) {
      var t = TinySearchJob.fineTuneTeacher(job, task, 32, steps, 5e-5 * 4, manager);
      var dev =
          new Evaluator(task.metric(), 64, t.encoding().buckets())
              .evaluate(t.teacher().model(), t.encoding().encode(task.dev()), manager);
      System.out.println("Teacher dev after " + steps + " steps: " + dev);
      ModelDirectory.write(dir.resolve("teacher"), t.teacher());
    }
  }

  private static void writeCorpus(Path dir, TaskData task) throws IOException {
    List<String> lines = new ArrayList<>();
    List<Example> examples = task.train().examples();
    for (int i = 0; i < examples.size(); i++) {
      lines.add(examples.get(i).textA());
      if (i % 10 == 9) {
        lines.add("");
      }
    }
    Files.write(dir.resolve("corpus.txt"), lines);
  }

  private static dev.retort.core.data.EncodedDataset corpus(Path dir, LoadedModel teacher) {
    PlainTextCorpus c = PlainTextCorpus.read(dir.resolve("corpus.txt"), teacher.tokenizer());
    return PretrainingExamples.builder()
        .setCorpus(c)
        .optMaxLength(32)
        .optSeed(7)
        .build()
        .toDataset(0);
  }

  private static ConfigValues job(Path dir, String search, int candidates, String teacher) {
    String yaml =
        String.join(
            "\n",
            "seed: 7",
            "teacher:",
            "  model: '" + teacher + "'",
            "task:",
            "  format: sample",
            "  dir: '" + dir.resolve("sample") + "'",
            "  sample-size: 600",
            "  max-eval-examples: 400",
            "  max-length: 32",
            "  buckets: [16, 32]",
            "student:",
            "  hidden-size: " + HIDDEN,
            "  layers: " + LAYERS,
            "  embedding-size: 32",
            "search:",
            "  candidates: " + candidates,
            "  batch-size: 32",
            "  warmup-steps: " + Integer.getInteger("benchmark.warmup-steps", 300),
            "  corpus: '" + dir.resolve("corpus.txt") + "'",
            "  pretrain-teacher: all-minilm-l6-v2",
            "  supernet-checkpoint: '" + dir.resolve("supernet.safetensors") + "'",
            search,
            "output:",
            "  dir: '" + dir.resolve("search") + "'",
            "");
    return new JobParser(JobSchema.root()).parse(yaml, "search-benchmark.yaml");
  }

  private static double mean(double[] v) {
    return java.util.Arrays.stream(v).average().orElse(Double.NaN);
  }

  /** Returns {@code a[i] - b[i]}: the same seed's two results, paired. */
  private static double[] difference(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  /** Returns the standard error of the mean (sample standard deviation over the root of n). */
  private static double standardError(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double m = mean(v);
    double ss = java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum();
    return Math.sqrt(ss / (v.length - 1) / v.length);
  }
}

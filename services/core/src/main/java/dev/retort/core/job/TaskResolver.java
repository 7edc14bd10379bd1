package dev.retort.core.job;

import dev.retort.core.RetortException;
import dev.retort.core.data.AmazonReviews;
import dev.retort.core.data.Dataset;
import dev.retort.core.data.DomainSplits;
import dev.retort.core.data.Example;
import dev.retort.core.data.GlueReader;
import dev.retort.core.data.GlueSplit;
import dev.retort.core.data.GlueTask;
import dev.retort.core.data.LabelMap;
import dev.retort.core.data.MnliGenres;
import dev.retort.core.data.MultiDomainData;
import dev.retort.core.data.SampleData;
import dev.retort.core.data.Splits;
import dev.retort.core.data.TabularReader;
import dev.retort.core.data.TaskType;
import dev.retort.core.metrics.MetricName;
import dev.retort.core.metrics.TaskMetric;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns a job's {@code task} section into {@link TaskData}: reads (or, for the sample, writes and
 * reads) the files, keeps the selected domains, applies the few-shot fraction and the example caps,
 * all deterministically from the job's seed.
 */
public final class TaskResolver {
  /** Where the sample data is written when {@code task.dir} is not set. */
  public static final Path DEFAULT_SAMPLE_DIR = Path.of(".retort", "sample-data");

  /** The sample data is generated from this fixed seed, so every job sees the same data. */
  public static final long SAMPLE_SEED = 20261121L;

  private final PathPolicy paths;

  /**
   * Creates a resolver.
   *
   * @param paths which directories data may be read from
   */
  public TaskResolver(PathPolicy paths) {
    this.paths = paths;
  }

  /**
   * Resolves the task. MRPC and QQP checkpoints are selected by (acc+F1)/2 for an EfficientBERT
   * student ({@code student.ffn-expressions}), as EfficientBERT's code does, and by accuracy for
   * every other method, as BERT-EMD's code does (methods.md 1.6, 4.2).
   *
   * @param job the parsed job
   * @return the data
   * @throws RetortException if files are missing or malformed, or keys contradict each other
   */
  public TaskData resolve(ConfigValues job) {
    return resolve(job, job.has("student.ffn-expressions"));
  }

  /**
   * Resolves the task of a job whose kind the caller knows (an EfficientBERT search).
   *
   * @param job the parsed job
   * @param efficientBertSelection whether MRPC and QQP select by (acc+F1)/2 (EfficientBERT's rule)
   *     rather than by accuracy (BERT-EMD's)
   * @return the data
   * @throws RetortException if files are missing or malformed, or keys contradict each other
   */
  public TaskData resolve(ConfigValues job, boolean efficientBertSelection) {
    String format = job.str("task.format");
    long seed = job.integer("seed");
    TaskData raw =
        switch (format) {
          case "sample" -> multi(job, sample(job), "sample");
          case "mnli-genres" -> multi(job, MnliGenres.read(dir(job, "task.dir")), "mnli-genres");
          case "amazon" -> multi(job, AmazonReviews.read(dir(job, "task.dir"), domains(job, AmazonReviews.DOMAINS), AmazonReviews.DEFAULT_SEED), "amazon");
          case "glue" -> glue(job, efficientBertSelection);
          case "table" -> table(job, seed);
          default -> throw new IllegalStateException("schema allows " + format);
        };
    return capped(job, raw, seed);
  }

  private MultiDomainData sample(ConfigValues job) {
    Path dir = job.has("task.dir") ? paths.data(job.str("task.dir"), "task.dir") : DEFAULT_SAMPLE_DIR;
    writeSampleData(dir, job.intValue("task.sample-size"));
    return SampleData.read(dir);
  }

  /**
   * Writes the sample data jobs read (format {@code sample}, {@code task.sample-size} examples per
   * domain) unless the directory already holds it at that size: the same files {@code retort
   * sample-data} writes.
   *
   * @param dir the data directory
   * @param perDomain training examples per domain (dev gets max(50, n/7), test max(50, n/5))
   * @throws RetortException if the directory cannot be written
   */
  public static void writeSampleData(Path dir, int perDomain) {
    if (Files.exists(dir.resolve("train.tsv"))
        && Files.exists(dir.resolve(SampleData.CORPUS))
        && sameSize(dir, perDomain)) {
      return;
    }
    SampleData.builder()
        .optSizes(perDomain, Math.max(50, perDomain / 7), Math.max(50, perDomain / 5))
        .optSeed(SAMPLE_SEED)
        .build()
        .write(dir);
    try {
      Files.writeString(dir.resolve(".sample-size"), Integer.toString(perDomain));
    } catch (java.io.IOException e) {
      throw new RetortException(dir.toString(), "cannot write the sample data: " + e.getMessage(), "Check the directory's permissions", e);
    }
  }

  private static boolean sameSize(Path dir, int perDomain) {
    try {
      return Files.readString(dir.resolve(".sample-size")).trim().equals(Integer.toString(perDomain));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private Path dir(ConfigValues job, String key) {
    if (!job.has(key)) {
      throw new RetortException(job.source() + " key '" + key + "'", "is required for task.format " + job.str("task.format"), "Set it to the data directory");
    }
    Path p = paths.data(job.str(key), key);
    if (!Files.isDirectory(p)) {
      throw new RetortException(job.source() + " key '" + key + "'", "directory " + p + " does not exist", "Download the data there or fix the path");
    }
    return p;
  }

  private static List<String> domains(ConfigValues job, List<String> all) {
    List<String> chosen = job.strings("task.domains");
    if (chosen == null) {
      return all;
    }
    for (String d : chosen) {
      if (!all.contains(d)) {
        throw new RetortException(job.source() + " key 'task.domains'", "unknown domain '" + d + "'", "Known domains: " + all);
      }
    }
    return chosen;
  }

  private static TaskData multi(ConfigValues job, MultiDomainData data, String name) {
    List<String> all = data.splits().stream().map(DomainSplits::domain).toList();
    List<String> keep = domains(job, all);
    List<DomainSplits> splits = new ArrayList<>();
    for (String d : keep) {
      splits.add(data.domain(d));
    }
    MultiDomainData selected = new MultiDomainData(data.name(), LabelMap.ofDomains(keep), splits);
    Dataset first = splits.get(0).train();
    return new TaskData(
        name,
        first.taskType(),
        first.labels(),
        first.taskType() == TaskType.REGRESSION ? TaskMetric.CORRELATION : TaskMetric.ACCURACY,
        keep,
        union(name + "/train", splits, DomainSplits::train),
        union(name + "/dev", splits, DomainSplits::dev),
        union(name + "/test", splits, DomainSplits::test),
        selected,
        null);
  }

  private static Dataset union(String name, List<DomainSplits> splits, java.util.function.Function<DomainSplits, Dataset> part) {
    List<Example> all = new ArrayList<>();
    for (DomainSplits s : splits) {
      all.addAll(part.apply(s).examples());
    }
    return part.apply(splits.get(0)).withExamples(name, all);
  }

  private TaskData glue(ConfigValues job, boolean efficientBertSelection) {
    if (!job.has("task.name")) {
      throw new RetortException(job.source() + " key 'task.name'", "is required for task.format glue", "Name the GLUE task, e.g. SST-2");
    }
    GlueTask task = GlueTask.parse(job.str("task.name"));
    GlueReader reader = GlueReader.builder().setDataDir(dir(job, "task.dir")).build();
    Dataset train = reader.read(task, GlueSplit.TRAIN);
    Dataset dev = reader.read(task, GlueSplit.DEV);
    Path testFile = paths.data(job.str("task.dir"), "task.dir").resolve(task.fileName(GlueSplit.TEST));
    Dataset test = Files.exists(testFile) ? reader.read(task, GlueSplit.TEST) : dev.withExamples(dev.name() + " (no test file)", List.of());
    TaskMetric metric = task.metric();
    if (metric.equals(TaskMetric.ACC_AND_F1) && !efficientBertSelection) {
      metric = metric.withSelection(MetricName.ACC);
    }
    return new TaskData(task.directory(), task.taskType(), task.labelMap(), metric, List.of("default"), train, dev, test, null, null);
  }

  private TaskData table(ConfigValues job, long seed) {
    Map<String, String> cols = job.stringMap("task.columns");
    if (cols == null || !cols.containsKey("text")) {
      throw new RetortException(job.source() + " key 'task.columns'", "must name at least the 'text' column", "Add columns: {text: ..., label: ...}");
    }
    for (String k : cols.keySet()) {
      if (!List.of("text", "text-b", "label", "domain", "id").contains(k)) {
        throw new RetortException(job.source() + " key 'task.columns." + k + "'", "unknown column role", "Use text, text-b, label, domain or id");
      }
    }
    boolean regression = job.bool("task.regression");
    TabularReader.Builder b = TabularReader.builder().setTextColumn(cols.get("text"));
    if (cols.containsKey("text-b")) {
      b.optTextBColumn(cols.get("text-b"));
    }
    if (cols.containsKey("label")) {
      b.optLabelColumn(cols.get("label"));
    }
    if (cols.containsKey("domain")) {
      b.optDomainColumn(cols.get("domain"));
    }
    if (cols.containsKey("id")) {
      b.optIdColumn(cols.get("id"));
    }
    LabelMap labels = LabelMap.none();
    if (regression) {
      b.optRegression();
    } else {
      List<String> names = job.strings("task.labels");
      if (names == null || names.isEmpty()) {
        throw new RetortException(job.source() + " key 'task.labels'", "is required for classification tables", "List the label names in id order");
      }
      labels = LabelMap.of(names);
      b.optLabels(labels);
    }
    TabularReader reader = b.build();
    if (!job.has("task.train")) {
      throw new RetortException(job.source() + " key 'task.train'", "is required for task.format table", "Point it at the training file");
    }
    Dataset train = reader.read(paths.data(job.str("task.train"), "task.train"), "train");
    Dataset dev;
    if (job.has("task.dev")) {
      dev = reader.read(paths.data(job.str("task.dev"), "task.dev"), "dev");
    } else {
      List<Example> shuffled = Splits.shuffled(train.examples(), seed);
      int n = Math.max(1, shuffled.size() / 10);
      dev = train.withExamples("dev (10% of train)", shuffled.subList(0, n));
      train = train.withExamples(train.name(), shuffled.subList(n, shuffled.size()));
    }
    Dataset test = job.has("task.test") ? reader.read(paths.data(job.str("task.test"), "task.test"), "test") : dev.withExamples("test (none)", List.of());
    TaskMetric metric = regression ? TaskMetric.CORRELATION : TaskMetric.ACCURACY;
    List<String> doms = train.domains().isEmpty() ? List.of("default") : train.domains();
    MultiDomainData multi = null;
    if (cols.containsKey("domain") && doms.size() > 1) {
      List<DomainSplits> splits = new ArrayList<>();
      for (String d : domains(job, doms)) {
        splits.add(new DomainSplits(d, train.domain(d), dev.domain(d), test.domain(d)));
      }
      return multi(job, new MultiDomainData("table", LabelMap.ofDomains(domains(job, doms)), splits), "table");
    }
    return new TaskData("table", train.taskType(), labels, metric, doms, train, dev, test, multi, null);
  }

  private static TaskData capped(ConfigValues job, TaskData t, long seed) {
    double fraction = job.doubleValue("task.train-fraction");
    if (!(fraction > 0 && fraction <= 1)) {
      throw new RetortException(job.source() + " key 'task.train-fraction'", "must be in (0, 1], got " + fraction, "Use e.g. 0.1 for 10%");
    }
    Dataset train = fraction < 1 ? Splits.fewShot(t.train(), fraction, seed) : t.train();
    Dataset dev = t.dev();
    Dataset test = t.test();
    MultiDomainData multi = t.multiDomain();
    if (multi != null && fraction < 1) {
      multi = multi.mapTrain(d -> Splits.fewShot(d, fraction, seed));
    }
    Long maxTrain = job.integer("task.max-train-examples");
    if (maxTrain != null && train.size() > maxTrain) {
      train = train.withExamples(train.name(), Splits.shuffled(train.examples(), seed).subList(0, maxTrain.intValue()));
      if (multi != null) {
        int perDomain = (int) Math.max(1, maxTrain / multi.splits().size());
        multi = multi.mapTrain(d -> d.withExamples(d.name(), Splits.shuffled(d.examples(), seed).subList(0, Math.min(perDomain, d.size()))));
      }
    }
    Double devFromTrain = job.number("task.dev-from-train");
    if (devFromTrain != null) {
      Dataset[] parts = tailOfTrain(job, train, devFromTrain);
      train = parts[0];
      dev = parts[1];
    }
    Long maxEval = job.integer("task.max-eval-examples");
    if (maxEval != null) {
      if (devFromTrain == null) {
        dev = cap(dev, maxEval, seed);
      }
      test = cap(test, maxEval, seed);
      if (multi != null) {
        // Multi-domain methods evaluate each domain's own splits, which the union above does not cap.
        long perDomain = Math.max(1, maxEval / multi.splits().size());
        multi = multi.mapEval(d -> cap(d, perDomain, seed));
      }
    }
    return new TaskData(t.name(), t.taskType(), t.labels(), t.metric(), t.domains(), train, dev, test, multi, fingerprint(train, dev));
  }

  /**
   * Splits the training split into the examples to train on and its last {@code max(min,
   * int(fraction · n))}, which replace dev ({@code task.dev-from-train}).
   */
  private static Dataset[] tailOfTrain(ConfigValues job, Dataset train, double fraction) {
    String key = job.source() + " key 'task.dev-from-train'";
    if (!(fraction >= 0 && fraction < 1)) {
      throw new RetortException(key, "must be in [0, 1), got " + fraction, "Use e.g. 0.01 for the last 1% of train");
    }
    int min = job.intValue("task.dev-from-train-min");
    int n = train.size();
    int held = Math.max(min, Splits.count(n, fraction));
    if (min < 1 || held >= n) {
      throw new RetortException(key, "holding out " + held + " of " + n + " training examples leaves none to train on"
          + " (task.dev-from-train-min " + min + ")", "Lower task.dev-from-train-min or use more training data");
    }
    return new Dataset[] {
      train.withExamples(train.name(), train.examples().subList(0, n - held)),
      train.withExamples(train.name() + " (last " + held + " as dev)", train.examples().subList(n - held, n))
    };
  }

  private static Dataset cap(Dataset d, long max, long seed) {
    return d.size() <= max ? d : d.withExamples(d.name(), Splits.shuffled(d.examples(), seed).subList(0, (int) max));
  }

  private static String fingerprint(Dataset train, Dataset dev) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Dataset d : List.of(train, dev)) {
        for (Example e : d.examples()) {
          md.update((e.textA() + "\u0001" + e.textB() + "\u0001" + e.label() + "\u0001" + e.domain() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.distill.StudentInit;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobPaths;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.Gelu;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.LoadReport;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.LoadOptions;
import dev.retort.core.weights.ModelRef;
import dev.retort.core.weights.PretrainedWeights;
import dev.retort.core.weights.TokenizerFiles;
import dev.retort.core.weights.WeightLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a job's teacher and student from its {@code teacher} and {@code student} sections: loads
 * pretrained weights or a retort model directory, attaches the task's head(s), and initialises the
 * student from teacher layers, another pretrained model's layers, or at random.
 */
public final class ModelFactory {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFactory.class);
  private static final String CHECKPOINT = "checkpoint:";
  private static final String PRESET = "preset:";

  /** The model whose tokenizer randomly initialised presets use: BERT's uncased WordPiece vocabulary. */
  public static final String PRESET_TOKENIZER_SOURCE = "all-minilm-l6-v2";

  private static final Map<Path, TokenizerFiles> PRESET_TOKENIZERS = new ConcurrentHashMap<>();

  private final PathPolicy paths;
  private final LoadOptions loadOptions;

  /**
   * Creates a factory.
   *
   * @param paths where model directories may be read from
   * @param loadOptions caches, Maven and Hub settings
   */
  public ModelFactory(PathPolicy paths, LoadOptions loadOptions) {
    this.paths = paths;
    this.loadOptions = loadOptions;
  }

  /**
   * Loads a model by reference, with the task's head (fresh unless the reference is a retort or
   * Hugging Face classification directory with matching labels).
   *
   * @param ref a model reference or {@code checkpoint:PATH}
   * @param key the job key the reference came from, for errors
   * @param task the task
   * @param domains the head's domains (one for ordinary models)
   * @param gelu the GELU override ("auto", "erf", "tanh")
   * @param pooled the pooled activation
   * @param seed seeds the fresh head
   * @param manager where the weights are allocated
   * @return the model
   */
  public LoadedModel load(
      String ref, String key, TaskData task, List<String> domains, String gelu, PooledActivation pooled, long seed, NDManager manager) {
    if (ref.startsWith(CHECKPOINT)) {
      LoadedModel m = ModelDirectory.read(paths.data(ref.substring(CHECKPOINT.length()), key), manager);
      checkLabels(m, task, key);
      return m;
    }
    if (ref.startsWith(PRESET)) {
      // A randomly initialised model of a preset shape, with BERT's uncased vocabulary.
      BertConfig config = withGelu(BertConfig.preset(ref.substring(PRESET.length())), gelu);
      var model = new BertForSequenceClassification(config, head(task, domains, pooled));
      Torch.seed(seed);
      model.initializeParameters(manager);
      var tok = presetTokenizer(loadOptions);
      var report = new LoadReport(List.of(), List.copyOf(model.declaredShapes().keySet()), List.of());
      return new LoadedModel(model, tok, labelNames(task), ref, report);
    }
    PretrainedWeights w = WeightLoader.load(local(ref, key), loadOptions);
    BertConfig config = withGelu(w.config(), gelu);
    HeadConfig head = head(task, domains, pooled);
    var model = new BertForSequenceClassification(config, head);
    Torch.seed(seed);
    LoadReport report = StateDicts.load(model, w.weights(), manager, LoadPolicy.PRETRAINED_ENCODER);
    LOG.info("Loaded {}: {} tensors from the checkpoint, freshly initialised: {}", ref, report.loaded().size(), report.freshlyInitialized());
    return new LoadedModel(model, w.tokenizer(), labelNames(task), w.source(), report);
  }

  /**
   * Loads the job's teacher.
   *
   * @param job the job
   * @param task the task
   * @param domains the head's domains
   * @param manager where the weights are allocated
   * @return the teacher
   */
  public LoadedModel teacher(ConfigValues job, TaskData task, List<String> domains, NDManager manager) {
    return load(
        job.str("teacher.model"), "teacher.model", task, domains, job.str("teacher.gelu"),
        pooled(job.str("teacher.pooled-activation")), job.integer("seed"), manager);
  }

  /**
   * Builds the job's student.
   *
   * @param job the job
   * @param task the task
   * @param teacher the (fine-tuned) teacher: shape reference, vocabulary and, for {@code
   *     teacher-layers}, the source of the initial weights
   * @param domains the head's domains
   * @param manager where the weights are allocated
   * @return the student
   */
  public LoadedModel student(ConfigValues job, TaskData task, LoadedModel teacher, List<String> domains, NDManager manager) {
    if (job.has("student.ffn-expressions")) {
      // Single-domain jobs build EfficientBERT students with EfficientBertFactory (JobRunner dispatches).
      throw new RetortException(job.source() + " key 'student.ffn-expressions'",
          "the multi-domain methods (hrkd) train BERT students only",
          "Use a single-domain method to distil an EfficientBERT student, or remove the key");
    }
    String init = job.str("student.init");
    PretrainedWeights source = null;
    BertConfig base;
    if ("pretrained".equals(init)) {
      if (!job.has("student.model")) {
        throw new RetortException(job.source() + " key 'student.model'", "is required with student.init pretrained", "Name the model to take layers from, e.g. all-minilm-l6-v2");
      }
      source = WeightLoader.load(local(job.str("student.model"), "student.model"), loadOptions);
      if (source.tokenizer().vocab().size() != teacher.tokenizerFiles().vocab().size()
          || !source.tokenizer().vocab().equals(teacher.tokenizerFiles().vocab())) {
        throw new RetortException(job.source() + " key 'student.model'", "its vocabulary differs from the teacher's", "Student and teacher must share the tokenizer; pick a model with the teacher's vocabulary");
      }
      base = job.isSet("student.preset") ? preset(job, teacher) : source.config();
    } else {
      base = preset(job, teacher);
    }
    BertConfig config = overridden(job, base, teacher.config());
    if ("auto".equals(init)) {
      boolean sameShape = config.hiddenSize() == teacher.config().hiddenSize()
          && config.intermediateSize() == teacher.config().intermediateSize()
          && config.numHeads() == teacher.config().numHeads()
          && config.numLayers() <= teacher.config().numLayers();
      init = sameShape ? "teacher-layers" : "random";
      LOG.info("student.init auto: {}", init);
    }
    HeadConfig head = head(task, domains, pooled(job.str("student.pooled-activation")));
    var model = new BertForSequenceClassification(config, head);
    Torch.seed(job.integer("seed") + 1);
    LoadReport report;
    String from;
    switch (init) {
      case "teacher-layers" -> {
        StateDict sd = StateDicts.toStateDict(teacher.model(), teacher.source());
        report = loadLayers(job, model, sd, teacher.config().numLayers(), config, manager);
        from = "layers of " + teacher.source();
      }
      case "pretrained" -> {
        report = loadLayers(job, model, source.weights(), source.config().numLayers(), config, manager);
        from = "layers of " + source.source();
      }
      case "random" -> {
        model.initializeParameters(manager);
        report = new LoadReport(List.of(), List.copyOf(model.declaredShapes().keySet()), List.of());
        from = "random initialisation";
      }
      default -> throw new IllegalStateException(init);
    }
    return new LoadedModel(model, teacher.tokenizerFiles(), teacher.labels(), from, report);
  }

  private static LoadReport loadLayers(ConfigValues job, BertForSequenceClassification model, StateDict source, int sourceLayers, BertConfig config, NDManager manager) {
    List<Integer> layers;
    if (job.integers("student.init-layers") != null) {
      layers = job.integers("student.init-layers").stream().map(Long::intValue).toList();
      if (layers.size() != config.numLayers()) {
        throw new RetortException(job.source() + " key 'student.init-layers'", "lists " + layers.size() + " layers for a " + config.numLayers() + "-layer student", "Give one source layer per student layer");
      }
    } else {
      layers = StudentInit.everyKth(config.numLayers(), sourceLayers);
    }
    StateDict selected = StudentInit.selectLayers(source, layers, sourceLayers);
    return StateDicts.load(model, selected, manager, LoadPolicy.PRETRAINED_ENCODER);
  }

  private static BertConfig preset(ConfigValues job, LoadedModel teacher) {
    String p = job.str("student.preset");
    BertConfig c = "teacher".equals(p) ? teacher.config() : BertConfig.preset(p);
    return c.toBuilder().setVocabSize(teacher.config().vocabSize()).build();
  }

  /**
   * Returns a builder of {@code base} with the sizes the job's {@code student} section sets:
   * {@code layers}, {@code hidden-size}, {@code heads}, {@code intermediate-size}.
   *
   * @param job the job
   * @param base the preset's configuration
   * @return a builder with those sizes, to finish or to build
   */
  public static BertConfig.Builder studentSizes(ConfigValues job, BertConfig base) {
    BertConfig.Builder b = base.toBuilder();
    if (job.has("student.layers")) {
      b.setNumLayers(job.intValue("student.layers"));
    }
    if (job.has("student.hidden-size")) {
      b.setHiddenSize(job.intValue("student.hidden-size"));
    }
    if (job.has("student.heads")) {
      b.setNumHeads(job.intValue("student.heads"));
    }
    if (job.has("student.intermediate-size")) {
      b.setIntermediateSize(job.intValue("student.intermediate-size"));
    }
    return b;
  }

  private static BertConfig overridden(ConfigValues job, BertConfig base, BertConfig teacher) {
    BertConfig.Builder b = studentSizes(job, base);
    float p = (float) job.doubleValue("student.dropout");
    b.optHiddenDropout(p).optAttentionDropout(p);
    String gelu = job.str("student.gelu");
    b.optGelu("auto".equals(gelu) ? teacher.gelu() : Gelu.parse(gelu));
    return b.build();
  }

  /**
   * Returns the vocabulary of the preset models, read once per cache directory (again if its
   * extracted {@code tokenizer.json} is gone): it comes with the MiniLM jar, whose 22M weights a
   * preset does not need, and tests and benchmarks build many presets.
   */
  private static TokenizerFiles presetTokenizer(LoadOptions options) {
    Path dir = options.cacheDir().toAbsolutePath().normalize();
    TokenizerFiles known = PRESET_TOKENIZERS.get(dir);
    if (known != null && known.tokenizerJsonPath().map(Files::isRegularFile).orElse(true)) {
      return known;
    }
    TokenizerFiles read = WeightLoader.load(PRESET_TOKENIZER_SOURCE, options).tokenizer();
    PRESET_TOKENIZERS.put(dir, read);
    return read;
  }

  private static BertConfig withGelu(BertConfig c, String gelu) {
    return "auto".equals(gelu) ? c : c.withGelu(Gelu.parse(gelu));
  }

  static PooledActivation pooled(String s) {
    return PooledActivation.valueOf(s.toUpperCase(Locale.ROOT));
  }

  static HeadConfig head(TaskData task, List<String> domains, PooledActivation pooled) {
    return new HeadConfig(task.numLabels(), task.regression(), domains, pooled, 0.1f);
  }

  private static List<String> labelNames(TaskData task) {
    return task.regression() ? List.of("score") : task.labels().labels();
  }

  private static void checkLabels(LoadedModel m, TaskData task, String key) {
    if (m.head().numLabels() != task.numLabels() || m.head().regression() != task.regression()) {
      throw new RetortException(
          "job key '" + key + "'",
          "the model at " + m.source() + " predicts " + m.head().numLabels() + " labels but the task has " + task.numLabels(),
          "Use a model fine-tuned on this task, or a pretrained model (its head is then trained fresh)");
    }
  }

  /**
   * Parses a model reference, resolving local model paths inside the data roots.
   *
   * @param ref the reference as written in the job
   * @param key the job key it came from, for errors
   * @return the parsed reference
   */
  private ModelRef local(String ref, String key) {
    return JobPaths.modelRef(ref, key, paths);
  }
}

package dev.retort.core.run;

import dev.retort.core.RetortException;
import dev.retort.core.distill.LayerMapping;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobPaths;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.model.BertConfig;
import dev.retort.core.weights.HfConfigJson;
import dev.retort.core.weights.ModelRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Checks, before anything loads, that the student's shape fits the teacher's for the job's
 * method: equal head counts where attention maps are distilled, and a layer count the layer
 * mapping can use where student layers map onto teacher layers (TinyBERT's uniform mapping, PKD's,
 * an explicit one, HRKD's).
 *
 * <p>{@link Methods#objective} and the multi-domain runner make the same checks once both models
 * are built, but by then the teacher is loaded and, with {@code teacher.finetune}, trained for
 * hours.
 * Here the shapes come from what names them without weights: a preset, the {@code config.json} of a
 * Hugging Face or checkpoint directory, the {@code heads=} of an ONNX reference (heads only), or
 * one of the aliased Maven models, whose architectures are the presets in {@link #ALIAS_PRESETS}.
 * A reference whose shape cannot be known this way ({@code hf:}, other Maven jars, an ONNX graph)
 * passes, and the later checks stand. The trainer calls {@link #check} when it validates a
 * request, so such a job is rejected instead of failing; the in-process runner calls it first
 * thing.
 */
public final class ShapeCheck {
  /** The presets that describe the aliased Maven models. */
  static final Map<String, String> ALIAS_PRESETS =
      Map.of(
          "bert-base-uncased", "bert-base",
          "all-minilm-l6-v2", "minilm-l6-h384",
          "bge-small-en-v1.5", "bge-small");

  private static final String PRESET = "preset:";

  /**
   * What a model reference tells of its shape without weights.
   *
   * @param heads attention heads, or 0 when unknown
   * @param layers transformer layers, or 0 when unknown
   */
  record Known(int heads, int layers) {
    static Known of(BertConfig c) {
      return new Known(c.numHeads(), c.numLayers());
    }
  }

  private ShapeCheck() {}

  /**
   * Throws when, as far as the shapes are known without loading weights, the student's head count
   * differs from the teacher's where the job distils attention, or the job's layer mapping cannot
   * map the student's layers onto the teacher's. EfficientBERT jobs are checked by their own
   * runner.
   *
   * @param job the parsed job
   * @param paths the roots model directories must lie in
   * @throws RetortException naming {@code student.heads} or {@code student.layers}
   */
  public static void check(ConfigValues job, PathPolicy paths) {
    if (job.has("student.ffn-expressions")) {
      return;
    }
    String method = job.str("distill.method");
    boolean attention = Methods.distilsAttention(job);
    boolean mapped = mapsLayers(method);
    if (!attention && !mapped) {
      return;
    }
    Optional<Known> teacher = of(job.str("teacher.model"), "teacher.model", paths);
    Optional<Known> student = student(job, teacher, paths);
    if (teacher.isEmpty() || student.isEmpty()) {
      return;
    }
    Known t = teacher.get();
    Known s = student.get();
    if (attention && t.heads() > 0 && s.heads() > 0) {
      Methods.checkHeads(job, s.heads(), t.heads());
    }
    if (mapped && t.layers() > 0 && s.layers() > 0) {
      checkLayers(job, method, s.layers(), t.layers());
    }
  }

  /** Whether the method maps each student layer onto one teacher layer. */
  private static boolean mapsLayers(String method) {
    return switch (method) {
      case "tinybert", "layerwise", "pkd" -> true;
      default -> Methods.multiDomain(method);
    };
  }

  /** Builds the job's mapping as the run will, and restates its error for the job file. */
  private static void checkLayers(ConfigValues job, String method, int m, int n) {
    boolean multiDomain = Methods.multiDomain(method);
    String kind = multiDomain ? "uniform" : Methods.mappingKind(job, method);
    IntPredicate fits =
        layers -> {
          try {
            if (multiDomain) {
              LayerMapping.uniform(layers, n);
            } else {
              Methods.layerMapping(job, method, layers, n);
            }
            return true;
          } catch (RetortException e) {
            return false;
          }
        };
    if (fits.test(m)) {
      return;
    }
    if ("explicit".equals(kind)) {
      Methods.layerMapping(job, method, m, n); // throws its own error, naming distill.mapping.layers
    }
    throw new RetortException(
        job.source() + " key 'student.layers'",
        "the " + kind + " layer mapping of " + method + " cannot map a " + m
            + "-layer student onto the teacher's " + n + " layers",
        "Give the student " + fitting(fits, n) + " layers (student.layers)"
            + (multiDomain ? "" : ", or choose another distill.mapping.kind"));
  }

  /** The student layer counts, 1 to n, that the mapping accepts, as text. */
  private static String fitting(IntPredicate fits, int n) {
    List<String> counts = new ArrayList<>();
    for (int m = 1; m <= n; m++) {
      if (fits.test(m)) {
        counts.add(String.valueOf(m));
      }
    }
    if (counts.size() < 2) {
      return counts.isEmpty() ? "fewer" : counts.get(0);
    }
    return String.join(", ", counts.subList(0, counts.size() - 1)) + " or " + counts.get(counts.size() - 1);
  }

  /** The student's shape, derived as {@code ModelFactory#student} derives it. */
  private static Optional<Known> student(ConfigValues job, Optional<Known> teacher, PathPolicy paths) {
    Optional<Known> base;
    if ("pretrained".equals(job.str("student.init")) && !job.isSet("student.preset")) {
      base = job.has("student.model") ? of(job.str("student.model"), "student.model", paths) : Optional.empty();
    } else {
      String preset = job.str("student.preset");
      base = "teacher".equals(preset) ? teacher : Optional.of(Known.of(BertConfig.preset(preset)));
    }
    int heads = job.has("student.heads") ? job.intValue("student.heads") : base.map(Known::heads).orElse(0);
    int layers = job.has("student.layers") ? job.intValue("student.layers") : base.map(Known::layers).orElse(0);
    return heads == 0 && layers == 0 ? Optional.empty() : Optional.of(new Known(heads, layers));
  }

  /**
   * Returns what a model reference tells of its shape without loading weights, or empty.
   *
   * @param ref the reference as written in the job
   * @param key its job key, for errors
   * @param paths the roots its directory must lie in
   * @return the shape (a field 0 when unknown), or empty when only loading the model would tell
   */
  static Optional<Known> of(String ref, String key, PathPolicy paths) {
    if (ref.startsWith(PRESET)) {
      return Optional.of(Known.of(BertConfig.preset(ref.substring(PRESET.length()))));
    }
    if (ref.startsWith(JobPaths.CHECKPOINT)) {
      return fromConfigJson(paths.data(ref.substring(JobPaths.CHECKPOINT.length()), key));
    }
    String known = aliasPreset(ref.strip());
    if (known != null) {
      return Optional.of(Known.of(BertConfig.preset(known)));
    }
    ModelRef parsed = JobPaths.modelRef(ref, key, paths);
    if (parsed instanceof ModelRef.HfDir d) {
      return fromConfigJson(d.dir());
    }
    if (parsed instanceof ModelRef.Onnx o && o.heads() != null) {
      return Optional.of(new Known(o.heads(), 0));
    }
    return Optional.empty();
  }

  /** The preset of an aliased model, named by its alias or by the Maven reference it stands for. */
  private static String aliasPreset(String ref) {
    for (Map.Entry<String, String> e : ALIAS_PRESETS.entrySet()) {
      if (e.getKey().equalsIgnoreCase(ref) || ModelRef.ALIASES.get(e.getKey()).equals(ref)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static Optional<Known> fromConfigJson(Path dir) {
    Path config = dir.resolve("config.json");
    // A missing config.json is reported, with its fix, where the model loads.
    return java.nio.file.Files.isRegularFile(config)
        ? Optional.of(Known.of(HfConfigJson.read(config).bert()))
        : Optional.empty();
  }
}

package dev.retort.core.run;

import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobPaths;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.model.BertConfig;
import dev.retort.core.weights.HfConfigJson;
import dev.retort.core.weights.ModelRef;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Checks, before anything loads, that a job which distils attention maps gives its student the
 * teacher's head count.
 *
 * <p>{@link Methods#objective} makes the same check once both models are built, but by then the
 * teacher is loaded and, with {@code teacher.finetune}, trained for hours. Here the head counts come
 * from what names them without weights: a preset, the {@code config.json} of a Hugging Face or
 * checkpoint directory, the {@code heads=} of an ONNX reference, or one of the aliased Maven models,
 * whose architectures are the presets in {@link #ALIAS_PRESETS}. A reference whose head count
 * cannot be known this way ({@code hf:}, other Maven jars, an ONNX graph without {@code heads=})
 * passes, and the later check stands. The trainer calls {@link #check} when it validates a
 * request, so such a job is rejected instead of failing; the in-process runner calls it first
 * thing.
 */
public final class HeadCounts {
  /** The presets that describe the aliased Maven models. */
  static final Map<String, String> ALIAS_PRESETS =
      Map.of(
          "bert-base-uncased", "bert-base",
          "all-minilm-l6-v2", "minilm-l6-h384",
          "bge-small-en-v1.5", "bge-small");

  private static final String PRESET = "preset:";

  private HeadCounts() {}

  /**
   * Throws when the job distils attention and the student's and teacher's head counts, as far as
   * they are known without loading weights, differ. Multi-domain and EfficientBERT jobs are
   * checked by their own runners.
   *
   * @param job the parsed job
   * @param paths the roots model directories must lie in
   * @throws dev.retort.core.RetortException naming {@code student.heads}
   */
  public static void check(ConfigValues job, PathPolicy paths) {
    if (!Methods.distilsAttention(job) || job.has("student.ffn-expressions")) {
      return;
    }
    OptionalInt teacher = of(job.str("teacher.model"), "teacher.model", paths);
    OptionalInt student = student(job, teacher, paths);
    if (teacher.isPresent() && student.isPresent()) {
      Methods.checkHeads(job, student.getAsInt(), teacher.getAsInt());
    }
  }

  /** The student's head count, derived as {@code ModelFactory#student} derives its shape. */
  private static OptionalInt student(ConfigValues job, OptionalInt teacher, PathPolicy paths) {
    if (job.has("student.heads")) {
      return OptionalInt.of(job.intValue("student.heads"));
    }
    if ("pretrained".equals(job.str("student.init")) && !job.isSet("student.preset")) {
      return job.has("student.model") ? of(job.str("student.model"), "student.model", paths) : OptionalInt.empty();
    }
    String preset = job.str("student.preset");
    return "teacher".equals(preset) ? teacher : OptionalInt.of(BertConfig.preset(preset).numHeads());
  }

  /**
   * Returns the head count a model reference names without loading weights, or empty.
   *
   * @param ref the reference as written in the job
   * @param key its job key, for errors
   * @param paths the roots its directory must lie in
   * @return the head count, or empty when only loading the model would tell
   */
  static OptionalInt of(String ref, String key, PathPolicy paths) {
    if (ref.startsWith(PRESET)) {
      return OptionalInt.of(BertConfig.preset(ref.substring(PRESET.length())).numHeads());
    }
    if (ref.startsWith(JobPaths.CHECKPOINT)) {
      return fromConfigJson(paths.data(ref.substring(JobPaths.CHECKPOINT.length()), key));
    }
    String known = aliasPreset(ref.strip());
    if (known != null) {
      return OptionalInt.of(BertConfig.preset(known).numHeads());
    }
    ModelRef parsed = JobPaths.modelRef(ref, key, paths);
    if (parsed instanceof ModelRef.HfDir d) {
      return fromConfigJson(d.dir());
    }
    if (parsed instanceof ModelRef.Onnx o && o.heads() != null) {
      return OptionalInt.of(o.heads());
    }
    return OptionalInt.empty();
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

  private static OptionalInt fromConfigJson(Path dir) {
    Path config = dir.resolve("config.json");
    // A missing config.json is reported, with its fix, where the model loads.
    return java.nio.file.Files.isRegularFile(config)
        ? OptionalInt.of(HfConfigJson.read(config).bert().numHeads())
        : OptionalInt.empty();
  }
}

package dev.retort.core.job;

import dev.retort.core.weights.ModelRef;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks every path a job names against a {@link PathPolicy} before anything runs.
 *
 * <p>A service calls {@link #check} when it validates a request, so that a job naming a file
 * outside the configured roots ({@code ..}, an absolute path elsewhere, a symbolic link out) is
 * rejected up front with the key that was wrong, rather than failing later. The same resolution is
 * used when the job runs: data files through {@link PathPolicy#data}, model references through
 * {@link #modelRef}.
 */
public final class JobPaths {
  /** Keys whose values are data files or directories the job reads. */
  static final List<String> DATA_KEYS =
      List.of(
          "task.dir",
          "task.train",
          "task.dev",
          "task.test",
          "student.supernet",
          "student.pretrain.corpus",
          "search.corpus",
          "search.previous-stage");

  /** Keys whose values are model references ({@code hf-dir:}, {@code onnx:}, {@code checkpoint:}). */
  static final List<String> MODEL_KEYS =
      List.of("teacher.model", "student.model", "student.pretrain.teacher", "search.pretrain-teacher");

  /** Prefix of a model directory written by retort, relative to the data roots. */
  public static final String CHECKPOINT = "checkpoint:";

  /** Prefix of a randomly initialised preset, which names no file. */
  private static final String PRESET = "preset:";

  private JobPaths() {}

  /**
   * Checks every path the job names.
   *
   * @param job the parsed job
   * @param paths the roots the job may read
   * @throws dev.retort.core.RetortException naming the first key whose path escapes the roots
   */
  public static void check(ConfigValues job, PathPolicy paths) {
    for (String key : DATA_KEYS) {
      if (job.has(key)) {
        paths.data(job.str(key), key);
      }
    }
    for (String key : MODEL_KEYS) {
      if (job.has(key)) {
        String ref = job.str(key);
        if (ref.startsWith(CHECKPOINT)) {
          paths.data(ref.substring(CHECKPOINT.length()), key);
        } else if (!ref.startsWith(PRESET)) {
          modelRef(ref, key, paths);
        }
      }
    }
  }

  /**
   * Parses a pretrained-model reference and resolves the paths of {@code hf-dir:} and {@code onnx:}
   * references inside the data roots.
   *
   * @param ref the reference as written in the job
   * @param key the job key it came from, for errors
   * @param paths the roots the job may read
   * @return the reference, with absolute paths inside the roots for local models
   * @throws dev.retort.core.RetortException if the reference does not parse or a path escapes
   */
  public static ModelRef modelRef(String ref, String key, PathPolicy paths) {
    ModelRef parsed = ModelRef.parse(ref);
    if (parsed instanceof ModelRef.HfDir d) {
      return new ModelRef.HfDir(paths.data(d.dir().toString(), key));
    }
    if (parsed instanceof ModelRef.Onnx o) {
      Path tokenizer = o.tokenizer() == null ? null : paths.data(o.tokenizer().toString(), key);
      return new ModelRef.Onnx(paths.data(o.model().toString(), key), tokenizer, o.heads());
    }
    return parsed;
  }
}

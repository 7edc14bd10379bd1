package dev.retort.bench;

import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;

/**
 * Job files of the bench, parsed with the job schema so that every default (β, θ, T, T², the
 * projection, the optimiser) is the one a user's job gets.
 */
public final class BenchJobs {
  private BenchJobs() {}

  /**
   * Parses a job written as YAML.
   *
   * @param yaml the job
   * @param source its name in errors
   * @return the values with defaults
   */
  public static ConfigValues parse(String yaml, String source) {
    return new JobParser(JobSchema.root()).parse(yaml, source);
  }

  /**
   * Returns a job that only names a method and a teacher: what {@code Methods.objective} needs.
   *
   * @param method a single-domain method, e.g. {@code bert-emd} or {@code tinybert}
   * @param teacherModel the teacher reference
   * @return the job with every other key at its default
   */
  public static ConfigValues method(String method, String teacherModel) {
    return parse(
        "teacher:\n  model: '" + teacherModel + "'\ndistill:\n  method: " + method + "\n",
        "retort bench (" + method + ")");
  }

  /**
   * Returns the small BERT-EMD job of the platform figures: sample data (one domain), a randomly
   * initialised teacher of the shape's preset, no teacher fine-tuning, a random student, one
   * progress report per step, no export.
   *
   * @param s the shape
   * @param name the job's name
   * @param seed its seed (part of the teacher pass key: different seeds never share a pass)
   * @param lr the student's learning rate (not part of the pass key)
   * @param teacherOutputs {@code minimal} or {@code all}
   * @param dataDir where the sample data is written
   * @return the job
   */
  public static ConfigValues platform(
      BenchSettings.PlatformShape s,
      String name,
      long seed,
      double lr,
      String teacherOutputs,
      java.nio.file.Path dataDir) {
    return platform(s, name, seed, lr, teacherOutputs, dataDir, s.steps(), "fp16");
  }

  /**
   * Returns a one-step job with the teacher of {@link #platform}'s job of the same seed but another
   * teacher pass (fp32 outputs): it makes the platform load that teacher, and writes its
   * directory, without computing any batch of the measured job's pass.
   *
   * @param s the shape
   * @param name the job's name
   * @param seed the seed of the job whose teacher to load
   * @param dataDir where the sample data is written
   * @return the job
   */
  public static ConfigValues teacherLoad(
      BenchSettings.PlatformShape s, String name, long seed, java.nio.file.Path dataDir) {
    return platform(s, name, seed, 1e-4, "minimal", dataDir, 1, "fp32");
  }

  private static ConfigValues platform(
      BenchSettings.PlatformShape s,
      String name,
      long seed,
      double lr,
      String teacherOutputs,
      java.nio.file.Path dataDir,
      int steps,
      String teacherDtype) {
    String yaml =
        String.join(
            "\n",
            "name: " + name,
            "seed: " + seed,
            "task:",
            "  format: sample",
            "  dir: '" + dataDir + "'",
            "  domains: [books]",
            "  sample-size: " + s.sampleSize(),
            "  max-eval-examples: 64",
            "  max-length: " + s.maxLength(),
            "teacher:",
            "  model: '" + s.teacherModel() + "'",
            "student:",
            "  preset: " + s.studentPreset(),
            "  init: random",
            "distill:",
            "  method: bert-emd",
            "  training:",
            "    epochs: 1",
            "    max-steps: " + steps,
            "    batch-size: " + s.batch(),
            "    lr: " + lr,
            "    eval-every: 0",
            "    log-every: 1",
            "output:",
            "  export: false",
            "platform:",
            "  teacher-dtype: " + teacherDtype,
            "  teacher-outputs: " + teacherOutputs,
            "");
    return parse(yaml, "retort bench (" + name + ")");
  }
}

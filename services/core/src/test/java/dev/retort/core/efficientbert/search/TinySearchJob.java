package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.distill.DistillationStep;
import dev.retort.core.distill.FineTuneObjective;
import dev.retort.core.distill.Phase;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.run.EncodedTask;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelDirectory;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.weights.LoadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A search job small enough for CI: the generated sample data (capped at 64 training examples, the
 * last 16 held out for the fitness), a {@code preset:tiny} teacher (2 layers, H 32, 4 heads)
 * fine-tuned for a few steps, a 2-layer H-48 supernet with 4 heads and E 16, and a few training
 * steps everywhere.
 */
final class TinySearchJob {
  private static final String[] WORDS = {
    "the", "movie", "was", "good", "bad", "great", "food", "service", "very", "slow", "fast",
    "book", "story", "long", "short", "price", "high", "low", "and", "but", "not", "really",
    "we", "liked", "it", "hotel", "room", "clean", "staff", "friendly", "music", "loud"
  };

  private TinySearchJob() {}

  /** Writes a corpus of 8 documents of 5 random sentences each. */
  static Path corpus(Path dir) throws IOException {
    Random rnd = new Random(1);
    List<String> lines = new ArrayList<>();
    for (int d = 0; d < 8; d++) {
      for (int s = 0; s < 5; s++) {
        StringBuilder sb = new StringBuilder();
        int n = 4 + rnd.nextInt(8);
        for (int w = 0; w < n; w++) {
          sb.append(w == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        lines.add(sb.append('.').toString());
      }
      lines.add("");
    }
    Path file = dir.resolve("corpus.txt");
    Files.write(file, lines);
    return file;
  }

  /**
   * Returns the job.
   *
   * @param shared the directory with the sample data, corpus and supernet checkpoint
   * @param out the run directory
   * @param stage the search stage
   * @param candidates the candidate budget
   * @param extra more YAML lines under {@code search:} (each indented by two spaces)
   * @return the parsed job
   */
  static ConfigValues job(Path shared, Path out, int stage, int candidates, String extra) {
    return job(shared, out, stage, candidates, extra, "checkpoint:" + shared.resolve("teacher"));
  }

  /** Returns the job with another teacher reference. */
  static ConfigValues job(
      Path shared, Path out, int stage, int candidates, String extra, String teacher) {
    String yaml =
        String.join(
            "\n",
            "seed: 7",
            "teacher:",
            "  model: '" + teacher + "'",
            "task:",
            "  format: sample",
            "  dir: '" + shared.resolve("sample") + "'",
            "  sample-size: 100",
            "  max-train-examples: 64",
            "  max-eval-examples: 48",
            "  max-length: 32",
            "  buckets: [16, 32]",
            "student:",
            "  hidden-size: 48",
            "  layers: 2",
            "  embedding-size: 16",
            "search:",
            "  stage: " + stage,
            "  candidates: " + candidates,
            "  steps-per-candidate: 3",
            "  pretrain-steps: 2",
            "  batch-size: 8",
            "  eval-every: 3",
            "  budget-min-params: 0",
            "  budget-max-params: 100000000",
            "  warmup-steps: 3",
            "  corpus: '" + shared.resolve("corpus.txt") + "'",
            "  supernet-checkpoint: '" + shared.resolve("supernet.safetensors") + "'",
            "  init-samples: 2",
            "  train-interval: 1",
            "  max-tries: 200",
            "  gbdt-trials: 2",
            "  hall-of-fame: 4",
            // 16 of the 64 training examples score the candidates; 48 train them.
            "  holdout-min-examples: 16",
            extra,
            "output:",
            "  dir: '" + out + "'",
            "");
    return new JobParser(JobSchema.root()).parse(yaml, "tiny-search.yaml");
  }

  /**
   * Fine-tunes a randomly initialised {@code preset:tiny} teacher on the capped sample data for 60
   * steps and saves it to {@code shared/teacher}, so that the students have something to learn.
   */
  static void teacher(Path shared) throws IOException {
    ConfigValues job = job(shared, shared.resolve("unused"), 1, 0, "", "preset:tiny");
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
    try (NDManager manager = NDManager.newBaseManager()) {
      FineTuned t = fineTuneTeacher(job, task, 16, 60, 2e-3, manager);
      ModelDirectory.write(shared.resolve("teacher"), t.teacher());
    }
  }

  /**
   * A teacher fine-tuned by {@link #fineTuneTeacher}, with the task encoded by its tokenizer.
   *
   * @param teacher the fine-tuned teacher
   * @param encoding the task's encoding
   */
  record FineTuned(LoadedModel teacher, EncodedTask encoding) {}

  /**
   * Fine-tunes a job's teacher on its task's training split, labels only (seed 7).
   *
   * @param job the job naming the teacher
   * @param task its resolved task
   * @param batchSize examples per step
   * @param steps optimiser steps
   * @param lr the learning rate
   * @param manager owns the teacher's arrays
   * @return the teacher and the task's encoding
   */
  static FineTuned fineTuneTeacher(
      ConfigValues job, TaskData task, int batchSize, int steps, double lr, NDManager manager) {
    List<String> single = List.of("default");
    LoadedModel t =
        new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults())
            .teacher(job, task, single, manager);
    EncodedTask enc = EncodedTask.of(job, t.tokenizer(), single);
    TeacherSource none =
        (batch, m, timer) -> {
          throw new IllegalStateException("fine-tuning reads no teacher");
        };
    var step =
        new DistillationStep(t.model(), new FineTuneObjective(false), none, s -> Phase.JOINT);
    KdTraining.run(
        "teacher",
        t.model(),
        step,
        enc.encode(task.train()),
        enc.buckets(),
        batchSize,
        steps,
        lr,
        7,
        manager,
        null,
        0,
        () -> false);
    return new FineTuned(t, enc);
  }

  /** Returns a runner with no path restrictions and no cancellation. */
  static SearchRunner runner(Path runs) {
    return new SearchRunner(PathPolicy.unrestricted(), LoadOptions.defaults(), runs, () -> false);
  }
}

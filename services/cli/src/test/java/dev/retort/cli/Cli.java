package dev.retort.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in this JVM and captures what it prints. */
final class Cli {
  private Cli() {}

  /** The outcome of one invocation. */
  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Retort.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(exit, out.toString(), err.toString());
  }

  /**
   * Writes a tiny job: a random-init BERT-vocabulary teacher fine-tuned a few steps on 200 sample
   * examples, a tiny student distilled a few steps with logits KD.
   */
  static Path tinyJob(Path dir, String method) throws IOException {
    Files.createDirectories(dir);
    Path job = dir.resolve("tiny.yaml");
    Files.writeString(
        job,
        String.join(
            "\n",
            "name: tiny",
            "seed: 7",
            "task:",
            "  format: sample",
            "  dir: " + dir.resolve("data"),
            "  sample-size: 60",
            "  max-train-examples: 200",
            "  max-eval-examples: 64",
            "  max-length: 32",
            "  buckets: [16, 32]",
            "teacher:",
            "  model: preset:tiny",
            "  finetune: true",
            "  training:",
            "    max-steps: 4",
            "    batch-size: 16",
            "    eval-every: 2",
            "    lr: 1e-3",
            "student:",
            "  preset: tiny",
            "distill:",
            "  method: " + method,
            "  training:",
            "    max-steps: 4",
            "    batch-size: 16",
            "    eval-every: 2",
            "    lr: 1e-3",
            ""));
    return job;
  }
}

package dev.retort.bench.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code torch_distill_step.py}, the same BERT-EMD step written with PyTorch and Hugging Face
 * {@code transformers} (a resource of this package), in a Python process and reads its summary.
 *
 * @param python the Python executable, with {@code torch} and {@code transformers}
 * @param workDir where the script is copied and its output logged ({@code torch-comparison.log})
 */
public record TorchScript(Path python, Path workDir) {
  private static final String RESOURCE = "torch_distill_step.py";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the script measured.
   *
   * @param summary its JSON summary line: {@code examples_per_second}, {@code median_step_seconds},
   *     {@code torch}, {@code device}, {@code threads} and the shape
   * @param log where its whole output went
   */
  public record Outcome(JsonNode summary, Path log) {
    /** Returns the script's examples per second. */
    public double examplesPerSecond() {
      return summary.path("examples_per_second").asDouble(Double.NaN);
    }
  }

  /**
   * Runs the script and waits for it.
   *
   * @param device {@code cpu} or {@code cuda}
   * @param threads torch's CPU threads
   * @param batch B
   * @param length L
   * @param warmup untimed steps
   * @param steps timed steps
   * @param seed the seed
   * @param timeoutMinutes how long it may take
   * @return its summary
   * @throws RetortException naming the log when the script fails, times out or prints no summary
   */
  public Outcome run(String device, int threads, int batch, int length, int warmup, int steps, long seed, long timeoutMinutes)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path script = workDir.resolve(RESOURCE);
    try (InputStream in = TorchScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the bench jar");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path log = workDir.resolve("torch-comparison.log");
    List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(),
        "--device", device, "--threads", Integer.toString(threads), "--batch", Integer.toString(batch),
        "--length", Integer.toString(length), "--warmup", Integer.toString(warmup),
        "--steps", Integer.toString(steps), "--seed", Long.toString(seed)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new RetortException(log.toString(), "the PyTorch script ran past " + timeoutMinutes + " minutes", "See its log");
    }
    if (p.exitValue() != 0) {
      throw new RetortException(log.toString(), "the PyTorch script exited with " + p.exitValue(),
          "See its log; --python must name a Python with torch and transformers");
    }
    JsonNode summary = null;
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("{")) {
        summary = JSON.readTree(line);
      }
    }
    if (summary == null || !summary.has("examples_per_second")) {
      throw new RetortException(log.toString(), "the PyTorch script printed no summary line", "See its log");
    }
    return new Outcome(summary, log);
  }
}

package dev.retort.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.data.Dataset;
import dev.retort.core.data.Example;
import dev.retort.core.io.AtomicFiles;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.TaskData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Final teacher scores kept by what they depend on, so that a teacher met again is not scored
 * again: the jobs of a search population, or the jobs that share one teacher pass, hand over
 * byte-identical teachers ({@link TeacherHandover}), and scoring BERT-base on a dev set on a CPU
 * takes far longer than reading it.
 *
 * <p>The key is SHA-256 of the model directory's content digest ({@link TeacherHandover}: weights,
 * config, tokenizer, head), the examples scored (dev, and test when asked for), the job values that
 * change the encoding ({@code task.max-length}, {@code task.buckets}), the metric and the scorer's
 * settings (batch size, latency passes). Entries are JSON files in one directory of the artifact
 * store ({@code cache/teacher-scores/}), written atomically, so the trainers and evaluators of a
 * store share them and a restart keeps them; an unreadable entry counts as absent. Student
 * checkpoints are never cached: each is new.
 */
public final class TeacherScoreCache {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherScoreCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  /**
   * Creates a cache.
   *
   * @param dir the cache directory (created on the first write)
   */
  public TeacherScoreCache(Path dir) {
    this.dir = dir;
  }

  /**
   * Returns the cache of an artifact store: {@code <root>/cache/teacher-scores}.
   *
   * @param root the artifact store's root
   * @return the cache
   */
  public static TeacherScoreCache inStore(Path root) {
    return new TeacherScoreCache(root.resolve("cache").resolve("teacher-scores"));
  }

  /**
   * Returns the key of scoring a model on a job's data.
   *
   * @param modelDigest the model directory's content digest ({@link TeacherHandover#contentDigest})
   * @param job the job
   * @param task its data
   * @param withTest whether the test split is scored too (when labelled)
   * @param scorer the scorer's settings, e.g. {@code batch=64 latency-warmup=3 latency-runs=15}
   * @return 64 hex characters
   */
  public static String key(String modelDigest, ConfigValues job, TaskData task, boolean withTest,
      String scorer) {
    MessageDigest md = sha256();
    text(md, "retort teacher score v1");
    text(md, "model=" + modelDigest);
    text(md, scorer);
    text(md, "max-length=" + job.intValue("task.max-length"));
    text(md, "buckets=" + Arrays.toString(EncodedTask.paddedLengths(job, Methods.positionLosses(job))));
    text(md, "metric=" + task.metric());
    examples(md, task.dev());
    text(md, "test=" + withTest);
    if (withTest) {
      examples(md, task.test());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Returns the scores stored under a key.
   *
   * @param key the key
   * @return the scores; empty when absent or unreadable
   */
  public Optional<ModelScore> get(String key) {
    Path file = dir.resolve(key + ".json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), ModelScore.class));
    } catch (IOException e) {
      LOG.warn("Teacher score cache entry {} is unreadable ({}); scoring again", file, e.toString());
      return Optional.empty();
    }
  }

  /**
   * Stores scores under a key; a failure to write is logged, not thrown (the cache is an
   * optimisation).
   *
   * @param key the key
   * @param score the scores
   */
  public void put(String key, ModelScore score) {
    Path file = dir.resolve(key + ".json");
    try {
      AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(score));
    } catch (IOException e) {
      LOG.warn("Could not write teacher score cache entry {}: {}", file, e.toString());
    }
  }

  private static void examples(MessageDigest md, Dataset d) {
    text(md, "examples=" + d.size());
    for (Example e : d.examples()) {
      text(md, e.textA() + "\u0001" + e.textB() + "\u0001" + e.label() + "\u0001" + e.domain());
    }
  }

  private static void text(MessageDigest md, String s) {
    md.update(s.getBytes(StandardCharsets.UTF_8));
    md.update((byte) '\n');
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

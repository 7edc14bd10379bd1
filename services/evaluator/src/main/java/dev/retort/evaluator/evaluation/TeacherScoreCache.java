package dev.retort.evaluator.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.data.Dataset;
import dev.retort.core.data.Example;
import dev.retort.evaluator.config.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Final teacher scores kept by what they depend on, so that a teacher met again is not scored
 * again: the jobs of a search population, or the jobs that share one teacher pass, announce
 * byte-identical teacher directories, and scoring BERT-base on a dev set takes far longer than
 * reading it.
 *
 * <p>The key is SHA-256 of the model directory's files (relative names and bytes: weights, config,
 * tokenizer, head), the examples scored (dev, and test when asked for), the job values that change
 * the encoding ({@code task.max-length}, {@code task.buckets}) and the scorer's settings. Entries
 * are JSON files under {@code <artifact store>/cache/teacher-scores/}, written atomically, so every
 * evaluator replica of the store shares them and a restart keeps them; an unreadable entry counts
 * as absent. Student checkpoints are never cached: each is new.
 */
public final class TeacherScoreCache {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherScoreCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BUFFER = 1 << 20;

  private final Path dir;
  private final String scorerSettings;

  /**
   * Creates a cache.
   *
   * @param root the artifact store's root
   * @param scorerSettings the scorer's settings (batch size, latency passes), part of every key
   */
  public TeacherScoreCache(Path root, String scorerSettings) {
    this.dir = root.resolve("cache").resolve("teacher-scores");
    this.scorerSettings = scorerSettings;
  }

  /**
   * Returns the key of scoring a model directory on a job's data.
   *
   * @param modelDir the model directory
   * @param data the job and its data
   * @param withTest whether the test split is scored too
   * @return 64 hex characters
   * @throws IOException if a file of the directory cannot be read
   */
  public String key(Path modelDir, JobData data, boolean withTest) throws IOException {
    MessageDigest md = sha256();
    text(md, "retort teacher score v1");
    text(md, scorerSettings);
    text(md, "max-length=" + data.job().intValue("task.max-length"));
    text(md, "buckets=" + data.job().integers("task.buckets"));
    text(md, "metric=" + data.task().metric());
    examples(md, data.task().dev());
    if (withTest) {
      examples(md, data.task().test());
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(modelDir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    byte[] buffer = new byte[BUFFER];
    for (Path f : files) {
      text(md, modelDir.relativize(f).toString().replace('\\', '/'));
      try (InputStream in = Files.newInputStream(f)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          md.update(buffer, 0, n);
        }
      }
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Returns the scores stored under a key.
   *
   * @param key the key
   * @return the scores; empty when absent or unreadable
   */
  public Optional<Scored> get(String key) {
    Path file = dir.resolve(key + ".json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), Scored.class));
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
   * @param scored the scores
   */
  public void put(String key, Scored scored) {
    Path file = dir.resolve(key + ".json");
    try {
      ArtifactStore.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(scored));
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

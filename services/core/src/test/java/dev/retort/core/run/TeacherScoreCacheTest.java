package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherScoreCacheTest {
  private static final String SCORER = "batch=64 latency-warmup=3 latency-runs=15";

  @TempDir Path root;

  private ConfigValues job(int maxEval) {
    String yaml = String.join("\n",
        "task:",
        "  format: sample",
        "  dir: '" + root.resolve("sample") + "'",
        "  sample-size: 60",
        "  max-eval-examples: " + maxEval,
        "  max-length: 32",
        "teacher:",
        "  model: preset:tiny",
        "student:",
        "  preset: tiny",
        "");
    return new JobParser(JobSchema.root()).parse(yaml, "cache.yaml");
  }

  private static TaskData task(ConfigValues job) {
    return new TaskResolver(PathPolicy.unrestricted()).resolve(job);
  }

  private Path model(String name, byte last) throws IOException {
    Path dir = Files.createDirectories(root.resolve(name));
    Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3, last});
    Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 32}");
    return dir;
  }

  private String digest(String name, byte last) throws IOException {
    return TeacherHandover.digest(model(name, last));
  }

  @Test
  void byteIdenticalTeachersOnTheSameDataShareAKey() throws IOException {
    ConfigValues job = job(24);
    TaskData task = task(job);
    assertThat(TeacherScoreCache.key(digest("a", (byte) 4), job, task, true, SCORER))
        .isEqualTo(TeacherScoreCache.key(digest("b", (byte) 4), job, task, true, SCORER));
  }

  @Test
  void anyChangeToWeightsDataSplitsOrScorerGivesANewKey() throws IOException {
    ConfigValues job = job(24);
    TaskData task = task(job);
    String a = digest("a", (byte) 4);
    String key = TeacherScoreCache.key(a, job, task, true, SCORER);
    assertThat(TeacherScoreCache.key(digest("c", (byte) 5), job, task, true, SCORER))
        .isNotEqualTo(key);
    ConfigValues fewer = job(12);
    assertThat(TeacherScoreCache.key(a, fewer, task(fewer), true, SCORER)).isNotEqualTo(key);
    assertThat(TeacherScoreCache.key(a, job, task, false, SCORER)).isNotEqualTo(key);
    assertThat(TeacherScoreCache.key(a, job, task, true, "batch=32")).isNotEqualTo(key);
  }

  @Test
  void storedScoresComeBackAndAnUnreadableEntryCountsAsAbsent() throws IOException {
    TeacherScoreCache cache = TeacherScoreCache.inStore(root);
    ModelScore s = new ModelScore("teacher", "acc", Map.of("acc", 0.75), Map.of("acc", 0.5), 1234, 7.5);
    assertThat(cache.get("k1")).isEmpty();
    cache.put("k1", s);
    assertThat(cache.get("k1")).contains(s);
    Files.writeString(root.resolve("cache/teacher-scores/k2.json"), "{not json");
    assertThat(cache.get("k2")).isEmpty();
  }
}

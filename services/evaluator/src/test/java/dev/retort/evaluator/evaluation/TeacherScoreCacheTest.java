package dev.retort.evaluator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.retort.core.job.PathPolicy;
import dev.retort.evaluator.TinyJobs;
import dev.retort.messaging.Structs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherScoreCacheTest {
  @TempDir Path root;

  private JobData data(String dataDir, int maxEval) {
    Struct job = TinyJobs.job(root.resolve(dataDir).toString(), "preset:tiny");
    Map<String, Object> tree = Structs.toMap(job);
    @SuppressWarnings("unchecked")
    Map<String, Object> task = new LinkedHashMap<>((Map<String, Object>) tree.get("task"));
    task.put("max-eval-examples", maxEval);
    tree = new LinkedHashMap<>(tree);
    tree.put("task", task);
    return new JobDataCache(PathPolicy.unrestricted(), 1).get("j-" + maxEval,
        Structs.fromMap(tree));
  }

  private Path model(String name, byte last) throws IOException {
    Path dir = Files.createDirectories(root.resolve(name));
    Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3, last});
    Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 32}");
    return dir;
  }

  @Test
  void byteIdenticalTeachersOnTheSameDataShareAKey() throws IOException {
    TeacherScoreCache cache = new TeacherScoreCache(root, "batch=64");
    JobData d = data("sample", 24);
    assertThat(cache.key(model("a", (byte) 4), d, true))
        .isEqualTo(cache.key(model("b", (byte) 4), d, true));
  }

  @Test
  void anyChangeToWeightsDataSplitsOrScorerGivesANewKey() throws IOException {
    TeacherScoreCache cache = new TeacherScoreCache(root, "batch=64");
    JobData d = data("sample", 24);
    Path a = model("a", (byte) 4);
    String key = cache.key(a, d, true);
    assertThat(cache.key(model("c", (byte) 5), d, true)).isNotEqualTo(key);
    assertThat(cache.key(a, data("sample", 12), true)).isNotEqualTo(key);
    assertThat(cache.key(a, d, false)).isNotEqualTo(key);
    assertThat(new TeacherScoreCache(root, "batch=32").key(a, d, true)).isNotEqualTo(key);
  }

  @Test
  void storedScoresComeBackAndAnUnreadableEntryCountsAsAbsent() throws IOException {
    TeacherScoreCache cache = new TeacherScoreCache(root, "batch=64");
    Scored s = new Scored("acc", 0.75, Map.of("acc", 0.75), Map.of("acc", 0.5), 1234, 7.5);
    assertThat(cache.get("k1")).isEmpty();
    cache.put("k1", s);
    assertThat(cache.get("k1")).contains(s);
    Files.writeString(root.resolve("cache/teacher-scores/k2.json"), "{not json");
    assertThat(cache.get("k2")).isEmpty();
  }
}

package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.core.data.SampleData;
import dev.retort.core.data.TaskType;
import dev.retort.core.distill.LocalTeacher;
import dev.retort.core.distill.hrkd.LocalGraphBackend;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherMemoTest {
  private static final TaskData TASK = new TaskData("sample", TaskType.CLASSIFICATION,
      SampleData.LABELS, null, List.of("default"), null, null, null, null, null);
  private static final List<String> SINGLE = List.of("default");

  private static ConfigValues job(String model, long seed) {
    return new JobParser(JobSchema.root()).parse("""
        seed: %d
        task: {format: sample, dir: data}
        teacher: {model: '%s'}
        """.formatted(seed, model), "test.yaml");
  }

  private static TeacherKey key(String model, long seed) {
    return TeacherKey.of(job(model, seed), TASK, SINGLE, PathPolicy.unrestricted()).orElseThrow();
  }

  /** Builds a tiny preset teacher and counts the builds. */
  private static Function<NDManager, LoadedModel> tinyTeacher(long seed, AtomicInteger builds) {
    return m -> {
      builds.incrementAndGet();
      return new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults())
          .load("preset:tiny", "teacher.model", TASK, SINGLE, "auto", PooledActivation.NONE, seed, m);
    };
  }

  private static NDArray firstWeight(LoadedModel m) {
    return m.model().namedParameters().values().iterator().next().getArray();
  }

  @Test
  void aJobWithTheSameTeacherTakesTheKeptOneWithoutBuildingOrHashingIt() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    try (TeacherMemo memo = TeacherMemo.keepingTheLast(); NDManager job = NDManager.newBaseManager()) {
      LoadedModel first = memo.teacher(key("preset:tiny", 7), job, tinyTeacher(7, builds));
      String digest = memo.digest(first);
      LoadedModel second = memo.teacher(key("preset:tiny", 7), job, tinyTeacher(7, builds));

      assertThat(second).isSameAs(first);
      assertThat(builds).hasValue(1);
      assertThat(memo.builds()).isEqualTo(1);
      assertThat(memo.reuses()).isEqualTo(1);
      assertThat(memo.digest(second)).as("the digest is computed once").isSameAs(digest)
          .isEqualTo(ModelDirectory.contentDigest(second));
    }
  }

  @Test
  void anotherTeacherReplacesTheKeptOneAndReleasesItsWeights() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    try (TeacherMemo memo = TeacherMemo.keepingTheLast(); NDManager job = NDManager.newBaseManager()) {
      LoadedModel seven = memo.teacher(key("preset:tiny", 7), job, tinyTeacher(7, builds));
      LoadedModel eight = memo.teacher(key("preset:tiny", 8), job, tinyTeacher(8, builds));

      assertThat(eight).isNotSameAs(seven);
      assertThat(builds).hasValue(2);
      assertThat(firstWeight(seven).isReleased()).as("the replaced teacher's weights").isTrue();
      assertThat(firstWeight(eight).isReleased()).isFalse();
      assertThat(memo.digest(eight)).isNotEqualTo(ModelDirectory.contentDigest(
          tinyTeacher(7, builds).apply(job)));
    }
  }

  @Test
  void aTeacherWithoutAKeyIsTheJobsOwnAndTheKeptOneIsDropped() {
    AtomicInteger builds = new AtomicInteger();
    try (TeacherMemo memo = TeacherMemo.keepingTheLast(); NDManager job = NDManager.newBaseManager()) {
      LoadedModel kept = memo.teacher(key("preset:tiny", 7), job, tinyTeacher(7, builds));
      LoadedModel own = memo.teacher(null, job, tinyTeacher(7, builds));

      assertThat(firstWeight(kept).isReleased()).isTrue();
      assertThat(firstWeight(own).getManager()).as("built in the job's manager").isSameAs(job);
      assertThat(memo.teacher(key("preset:tiny", 7), job, tinyTeacher(7, builds))).isNotSameAs(kept);
      assertThat(builds).hasValue(3);
    }
  }

  @Test
  void aMemoThatKeepsNothingBuildsEveryJobsTeacherInTheJobsManager() {
    AtomicInteger builds = new AtomicInteger();
    try (TeacherMemo memo = TeacherMemo.none(); NDManager job = NDManager.newBaseManager()) {
      LoadedModel a = memo.teacher(key("preset:tiny", 7), job, tinyTeacher(7, builds));
      LoadedModel b = memo.teacher(key("preset:tiny", 7), job, tinyTeacher(7, builds));
      assertThat(b).isNotSameAs(a);
      assertThat(builds).hasValue(2);
      assertThat(firstWeight(a).getManager()).isSameAs(job);
    }
  }

  @Test
  void theKeyChangesWithTheSeedTheLabelsAndAModelDirectoryWrittenAgain(@TempDir Path tmp) throws Exception {
    assertThat(key("preset:tiny", 7)).isEqualTo(key("preset:tiny", 7)).isNotEqualTo(key("preset:tiny", 8));
    TaskData twoLabels = new TaskData("sample", TaskType.CLASSIFICATION,
        dev.retort.core.data.LabelMap.of("neg", "pos"), null, SINGLE, null, null, null, null, null);
    assertThat(TeacherKey.of(job("preset:tiny", 7), twoLabels, SINGLE, PathPolicy.unrestricted()).orElseThrow())
        .isNotEqualTo(key("preset:tiny", 7));

    Path dir = tmp.resolve("teacher");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), "{}");
    Files.write(dir.resolve("model.safetensors"), new byte[16]);
    TeacherKey before = key("checkpoint:" + dir, 7);
    assertThat(key("checkpoint:" + dir, 7)).isEqualTo(before);
    Files.write(dir.resolve("model.safetensors"), new byte[32]); // fine-tuned again into it
    assertThat(key("checkpoint:" + dir, 7)).isNotEqualTo(before);
    assertThat(key("hf-dir:" + dir, 7).files()).contains("model.safetensors 32 ");
  }

  @Test
  void hubModelsSnapshotsAndMissingFilesHaveNoKey(@TempDir Path tmp) {
    PathPolicy any = PathPolicy.unrestricted();
    assertThat(TeacherKey.of(job("hf:google-bert/bert-base-uncased", 7), TASK, SINGLE, any)).isEmpty();
    assertThat(TeacherKey.of(job("maven:a.b:c:1.0-SNAPSHOT", 7), TASK, SINGLE, any)).isEmpty();
    assertThat(TeacherKey.of(job("checkpoint:" + tmp.resolve("missing"), 7), TASK, SINGLE, any)).isEmpty();
    assertThat(TeacherKey.of(job("bert-base-uncased", 7), TASK, SINGLE, any)).isPresent();
  }

  @Test
  void theStudentsOfASharedPassBuildTheirTeacherOnceAndJobsWithTheirOwnTeacherDropIt(@TempDir Path tmp) throws Exception {
    List<Path> announced = new ArrayList<>();
    Evaluations platform = new Evaluations() {
      @Override
      public boolean inProcess() {
        return false;
      }

      @Override
      public void announce(String role, String phase, long step, Path modelDir, boolean last) {
        if (role.equals("teacher")) {
          announced.add(modelDir);
        }
      }
    };
    try (TeacherMemo memo = TeacherMemo.keepingTheLast()) {
      RunEnvironment env = new RunEnvironment(
          PathPolicy.unrestricted(), LoadOptions.defaults(), tmp.resolve("store").resolve("jobs"),
          (teacher, selection, dropout, ctx) -> new LocalTeacher(teacher.model(), selection, dropout),
          Methods.localTransport(), LocalGraphBackend::standalone, List.of(), () -> false, platform,
          dir -> "checkpoint:" + dir, memo);
      JobRunner runner = new JobRunner(env);
      runner.run(distillation(tmp, 7, "1e-3"), "a");
      runner.run(distillation(tmp, 7, "5e-4"), "b");
      assertThat(memo.builds()).isEqualTo(1);
      assertThat(memo.reuses()).isEqualTo(1);
      assertThat(announced).hasSize(2);
      assertThat(announced.get(1)).as("the same teacher directory in the store").isEqualTo(announced.get(0));

      runner.run(distillation(tmp, 8, "1e-3"), "c");
      assertThat(memo.builds()).as("another seed, another teacher").isEqualTo(2);
      assertThat(announced.get(2)).isNotEqualTo(announced.get(0));

      // A job that fine-tunes its teacher, and an HRKD job, drop the kept teacher: the next job with
      // the same key builds it again.
      runner.run(distillation(tmp, 8, "1e-3", FINE_TUNED), "d");
      runner.run(distillation(tmp, 8, "1e-3"), "e");
      assertThat(memo.builds()).as("after a fine-tuning job").isEqualTo(3);
      runner.run(hrkd(tmp), "f");
      runner.run(distillation(tmp, 8, "1e-3"), "g");
      assertThat(memo.builds()).as("after an HRKD job").isEqualTo(4);
      runner.run(efficientBert(tmp), "h");
      runner.run(distillation(tmp, 8, "1e-3"), "i");
      assertThat(memo.builds()).as("after an EfficientBERT job").isEqualTo(5);
      assertThat(memo.reuses()).isEqualTo(1);
    }
  }

  private static ConfigValues efficientBert(Path tmp) {
    return new JobParser(JobSchema.root()).parse("""
        seed: 8
        task:
          format: sample
          dir: %s
          domains: [books]
          sample-size: 200
          max-eval-examples: 32
          max-length: 32
        teacher:
          model: preset:tiny
        student:
          hidden-size: 48
          embedding-size: 16
          ffn-expressions: ['linear1_1(gelu(linear1_1(x,wb1)),wb2)', 'linear1_1(relu(linear1_1(x,wb1)),wb2)']
        distill:
          training: {epochs: 1, max-steps: 2, batch-size: 16, eval-every: 0, log-every: 1}
        output:
          export: false
        """.formatted(tmp.resolve("data")), "test.yaml");
  }

  private static ConfigValues hrkd(Path tmp) {
    return new JobParser(JobSchema.root()).parse("""
        seed: 8
        task:
          format: sample
          dir: %s
          domains: [books, kitchen]
          sample-size: 160
          max-eval-examples: 32
          max-length: 32
        teacher:
          model: preset:tiny
          training: {epochs: 1, max-steps: 2, batch-size: 16, eval-every: 0}
        student:
          preset: tiny
          init: random
        distill:
          method: hrkd
          hrkd: {heads: 2}
          training: {epochs: 1, max-steps: 2, batch-size: 16, eval-every: 0, log-every: 1}
        output:
          export: false
        """.formatted(tmp.resolve("data")), "test.yaml");
  }

  private static final String FINE_TUNED =
      "  finetune: true\n  training: {epochs: 1, max-steps: 2, batch-size: 16, eval-every: 0}\n";

  private static ConfigValues distillation(Path tmp, long seed, String lr) {
    return distillation(tmp, seed, lr, "");
  }

  private static ConfigValues distillation(Path tmp, long seed, String lr, String teacherKeys) {
    return new JobParser(JobSchema.root()).parse("""
        seed: %d
        task:
          format: sample
          dir: %s
          domains: [books]
          sample-size: 200
          max-eval-examples: 32
          max-length: 32
        teacher:
          model: preset:tiny
        %sstudent:
          preset: tiny
          init: random
        distill:
          method: logits-kd
          training: {epochs: 1, max-steps: 2, batch-size: 16, lr: %s, eval-every: 0, log-every: 1}
        output:
          export: false
        """.formatted(seed, tmp.resolve("data"), teacherKeys, lr), "test.yaml");
  }
}

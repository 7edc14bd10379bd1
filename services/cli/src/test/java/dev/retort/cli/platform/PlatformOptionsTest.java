package dev.retort.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.stack.ServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformOptionsTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private final PlatformOptions defaults = PlatformOptions.defaults(Path.of("/repo"), List.of());

  @Test
  void defaultsGiveTheTeacherOneWorkerPerCoreAndTheTrainerHalfWaitingPassively() {
    ServiceSpec teacher = defaults.spec("teacher", "localhost:9092", Path.of("/store"));
    ServiceSpec trainer = defaults.spec("trainer", "localhost:9092", Path.of("/store"));
    int workers = Math.min(4, CORES);
    assertThat(teacher.jvmOptions()).contains("-Dai.djl.pytorch.num_threads=" + CORES / workers);
    assertThat(teacher.systemProperties()).containsEntry("retort.teacher.workers", Integer.toString(workers));
    assertThat(trainer.jvmOptions()).contains("-Dai.djl.pytorch.num_threads=" + Math.max(1, CORES / 2));
    // Together they ask for more threads than there are cores: the idle one's core goes to the busy.
    assertThat(defaults.oversubscribed()).isTrue();
    assertThat(teacher.env()).containsEntry("OMP_WAIT_POLICY", "PASSIVE");
    assertThat(trainer.env()).containsEntry("OMP_WAIT_POLICY", "PASSIVE");
  }

  @Test
  void teacherWorkersCountTowardsTheThreadsAndStayWithinOneToFour() {
    PlatformOptions one = defaults.withTeacherWorkers(1).withThreads(Map.of("teacher", 1, "trainer", 1));
    assertThat(one.spec("teacher", "localhost:9092", Path.of("/store")).systemProperties())
        .containsEntry("retort.teacher.workers", "1");
    assertThat(one.withTeacherWorkers(CORES).oversubscribed()).isTrue();
    assertThatThrownBy(() -> defaults.withTeacherWorkers(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("teacher workers 5");
  }

  @Test
  void threadsOverTheCoresMakeTheComputingServicesWaitPassively() {
    PlatformOptions all = defaults.withThreads(Map.of("teacher", CORES, "trainer", CORES));
    assertThat(all.oversubscribed()).isTrue();
    for (String service : List.of("teacher", "trainer")) {
      ServiceSpec spec = all.spec(service, "localhost:9092", Path.of("/store"));
      assertThat(spec.jvmOptions()).contains("-Dai.djl.pytorch.num_threads=" + CORES);
      assertThat(spec.env()).containsEntry("OMP_WAIT_POLICY", "PASSIVE");
    }
    // Services left out keep their own count.
    assertThat(all.spec("loss", "localhost:9092", Path.of("/store")).jvmOptions())
        .contains("-Dai.djl.pytorch.num_threads=1");
  }

  @Test
  void trainerReplicasCountTowardsTheThreads() {
    PlatformOptions one = defaults.withTeacherWorkers(1).withThreads(Map.of("teacher", 1, "trainer", 1));
    assertThat(one.withReplicas("trainer", CORES).oversubscribed()).isTrue();
  }

  @Test
  void aTrainerWhoseTeacherIsIdleTakesEveryCoreSplitAmongItsReplicas() {
    ServiceSpec trainer = defaults.spec("trainer", "localhost:9092", Path.of("/store"));
    assertThat(trainer.systemProperties()).containsEntry("retort.trainer.replay-threads", Integer.toString(CORES));
    PlatformOptions two = defaults.withReplicas("trainer", 2);
    assertThat(two.replayThreads()).isEqualTo(Math.max(Math.max(1, CORES / 2), CORES / 2));
    // A trainer given more threads than its share keeps them.
    PlatformOptions wide = defaults.withThreads(Map.of("trainer", CORES + 2));
    assertThat(wide.replayThreads()).isEqualTo(CORES + 2);
    // Only the trainer reads it.
    assertThat(defaults.spec("teacher", "localhost:9092", Path.of("/store")).systemProperties())
        .doesNotContainKey("retort.trainer.replay-threads");
  }

  @Test
  void everyServiceBoundsItsMallocArenasAsItsImageDoes() throws Exception {
    for (String service : LocalPlatform.SERVICES) {
      assertThat(defaults.spec(service, "localhost:9092", Path.of("/store")).env())
          .as(service)
          .containsEntry("MALLOC_ARENA_MAX", "2");
      Path dockerfile = Home.root().resolve("services").resolve(service)
          .resolve("src/main/docker/Dockerfile.jvm");
      assertThat(Files.readAllLines(dockerfile)).as(service).contains("ENV MALLOC_ARENA_MAX=2");
    }
  }

  @Test
  void theTeacherYieldsToTheTrainerAndTheEvaluatorToBoth() {
    for (String service : List.of("trainer", "loss")) {
      assertThat(defaults.spec(service, "localhost:9092", Path.of("/store")).niceness()).as(service).isZero();
    }
    int teacher = defaults.spec("teacher", "localhost:9092", Path.of("/store")).niceness();
    int evaluator = defaults.spec("evaluator", "localhost:9092", Path.of("/store")).niceness();
    assertThat(teacher).isEqualTo(PlatformOptions.TEACHER_NICENESS).isPositive();
    assertThat(evaluator).isEqualTo(PlatformOptions.EVALUATOR_NICENESS).isGreaterThan(teacher);
  }

  @Test
  void aThreadCountBelowOneIsRefused() {
    assertThatThrownBy(() -> defaults.withThreads(Map.of("teacher", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("teacher threads 0");
  }
}

package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.SampleData;
import dev.retort.core.data.TaskType;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.weights.LoadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherHandoverTest {
  private static NDManager manager;
  private static LoadedModel teacher;
  private static LoadedModel otherTeacher;

  @TempDir Path store;

  @BeforeAll
  static void load() {
    manager = NDManager.newBaseManager();
    teacher = tiny(1);
    otherTeacher = tiny(2);
  }

  @AfterAll
  static void free() {
    manager.close();
  }

  private static LoadedModel tiny(long seed) {
    TaskData task = new TaskData("sample", TaskType.CLASSIFICATION, SampleData.LABELS, null,
        List.of("default"), null, null, null, null, null);
    return new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults())
        .load("preset:tiny", "teacher.model", task, List.of("default"), "auto",
            PooledActivation.NONE, seed, manager);
  }

  private List<Path> sharedCopies() throws IOException {
    try (Stream<Path> s = Files.list(store.resolve("teachers"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void jobsWithTheSameTeacherShareOneContentAddressedCopy() throws IOException {
    Path shared = store.resolve("teachers");
    Path a = TeacherHandover.handOver(teacher, store.resolve("jobs/a"), shared);
    Path b = TeacherHandover.handOver(teacher, store.resolve("jobs/b"), shared);
    Path c = TeacherHandover.handOver(otherTeacher, store.resolve("jobs/c"), shared);

    assertThat(b).isEqualTo(a);
    assertThat(c).isNotEqualTo(a);
    assertThat(sharedCopies()).containsExactlyInAnyOrder(a, c); // no partial directory left
    assertThat(a.getFileName().toString()).isEqualTo(TeacherHandover.digest(a));
    assertThat(ModelDirectory.isModelDirectory(a)).isTrue();
    assertThat(store.resolve("jobs/a/teacher/model")).doesNotExist();
    assertThat(store.resolve("jobs/b/teacher/" + TeacherHandover.POINTER))
        .hasContent(a.getFileName().toString());
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat(ModelDirectory.read(a, m).parameters()).isEqualTo(teacher.parameters());
    }
  }

  @Test
  void aTeacherAlreadyInTheStoreIsHashedButNotWrittenAgain() throws IOException {
    Path shared = store.resolve("teachers");
    Path first = TeacherHandover.handOver(teacher, store.resolve("jobs/a"), shared);
    // Creating, renaming or deleting an entry (a .partial directory) would move these times.
    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(shared, old);
    Files.setLastModifiedTime(first, old);

    Path second = TeacherHandover.handOver(teacher, store.resolve("jobs/b"), shared);

    assertThat(second).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(shared)).isEqualTo(old);
    assertThat(Files.getLastModifiedTime(first)).isEqualTo(old);
    assertThat(store.resolve("jobs/b/teacher/" + TeacherHandover.POINTER))
        .hasContent(first.getFileName().toString());
  }

  @Test
  void theDigestComputedBeforeWritingIsTheDigestOfTheWrittenFiles() throws IOException {
    Path dir = store.resolve("written");
    ModelDirectory.write(dir, otherTeacher);
    assertThat(ModelDirectory.contentDigest(otherTeacher))
        .isEqualTo(dev.retort.core.io.DigestSink.of(dir))
        .isNotEqualTo(ModelDirectory.contentDigest(teacher));
  }

  @Test
  void jobsHandingOverTheSameTeacherAtOnceEndWithOneCopy() throws Exception {
    Path shared = store.resolve("teachers");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Path>> dirs = new ArrayList<>();
      for (int j = 0; j < 4; j++) {
        Path run = store.resolve("jobs/j" + j);
        dirs.add(pool.submit(() -> TeacherHandover.handOver(teacher, run, shared)));
      }
      Set<Path> distinct = new HashSet<>();
      for (Future<Path> f : dirs) {
        distinct.add(f.get());
      }
      assertThat(distinct).hasSize(1);
      assertThat(sharedCopies()).containsExactlyElementsOf(distinct);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aResumedJobFollowsItsPointerWithoutWritingAgain() throws IOException {
    Path shared = store.resolve("teachers");
    Path first = TeacherHandover.handOver(teacher, store.resolve("jobs/a"), shared);
    Path weights = first.resolve("model.safetensors");
    FileTime written = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(weights, written);

    Path again = TeacherHandover.handOver(teacher, store.resolve("jobs/a"), shared);

    assertThat(again).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(weights)).isEqualTo(written);
    assertThat(sharedCopies()).containsExactly(first);
  }

  @Test
  void aSharedTeachersNameIsItsDigestAndOtherDirectoriesAreRead() throws IOException {
    Path shared = store.resolve("teachers");
    Path a = TeacherHandover.handOver(teacher, store.resolve("jobs/a"), shared);
    assertThat(TeacherHandover.contentDigest(a, shared)).isEqualTo(TeacherHandover.digest(a));
    // Trusted by name inside the shared directory: a renamed copy elsewhere is read instead.
    Path elsewhere = store.resolve("copy/" + a.getFileName());
    Files.createDirectories(elsewhere);
    Files.writeString(elsewhere.resolve("config.json"), "{}");
    assertThat(TeacherHandover.contentDigest(elsewhere, shared))
        .isEqualTo(TeacherHandover.digest(elsewhere)).isNotEqualTo(a.getFileName().toString());
    assertThat(TeacherHandover.contentDigest(elsewhere, null)).isEqualTo(TeacherHandover.digest(elsewhere));
  }

  @Test
  void inProcessTheTeacherStaysInTheRunDirectory() throws IOException {
    Path dir = TeacherHandover.handOver(teacher, store.resolve("runs/r"), null);
    assertThat(dir).isEqualTo(store.resolve("runs/r/teacher/model"));
    assertThat(ModelDirectory.isModelDirectory(dir)).isTrue();
    assertThat(store.resolve("teachers")).doesNotExist();
    // A run directory written before keeps its own copy on the platform too.
    assertThat(TeacherHandover.handOver(teacher, store.resolve("runs/r"), store.resolve("teachers")))
        .isEqualTo(dir);
  }
}

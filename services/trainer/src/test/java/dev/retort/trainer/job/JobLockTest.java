package dev.retort.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLockTest {
  @TempDir Path dir;

  @Test
  void aSecondHolderIsRefusedUntilTheFirstReleases() {
    Path job = dir.resolve("jobs").resolve("j1");
    Optional<JobLock> first = JobLock.tryAcquire(job);
    assertThat(first).isPresent();
    assertThat(JobLock.tryAcquire(job)).isEmpty();
    // Another job is independent.
    try (JobLock other = JobLock.tryAcquire(dir.resolve("jobs").resolve("j2")).orElseThrow()) {
      assertThat(other).isNotNull();
    }
    first.get().close();
    try (JobLock again = JobLock.tryAcquire(job).orElseThrow()) {
      assertThat(job.resolve(JobLock.FILE)).exists();
    }
  }
}

package dev.retort.trainer.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.engine.Torch;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Each test runs on a thread of its own: libtorch keeps the thread count per thread. */
class StepThreadsTest {

  @Test
  void stepsRunOnTheReplayThreadsOnlyWhileNoSourceWaitsForTheTeacher() throws Exception {
    onOwnThread(() -> {
      int base = Torch.intraOpThreads();
      StepThreads threads = StepThreads.onThisThread("job-a", Optional.of(base + 1));
      Object books = new Object();
      Object dvd = new Object();
      threads.report(books, true);
      threads.report(dvd, false);
      assertThat(Torch.intraOpThreads()).isEqualTo(base); // books still waits
      threads.report(books, false);
      assertThat(threads.current()).isEqualTo(base + 1);
      assertThat(Torch.intraOpThreads()).isEqualTo(base + 1);
      threads.report(dvd, true); // a new request: the teacher computes again
      assertThat(Torch.intraOpThreads()).isEqualTo(base);
      threads.report(dvd, false);
      threads.restore();
      assertThat(Torch.intraOpThreads()).isEqualTo(base);
    });
  }

  @Test
  void withoutReplayThreadsTheStepsKeepTheJobsCount() throws Exception {
    onOwnThread(() -> {
      int base = Torch.intraOpThreads();
      StepThreads threads = StepThreads.onThisThread("job-b", Optional.empty());
      threads.report(this, false);
      assertThat(Torch.intraOpThreads()).isEqualTo(base);
      assertThat(threads.current()).isEqualTo(base);
    });
  }

  @Test
  void theCountChangesOnTheJobsThreadAndNoOther() throws Exception {
    CountDownLatch otherSet = new CountDownLatch(1);
    CountDownLatch jobSwitched = new CountDownLatch(1);
    AtomicReference<Integer> otherCount = new AtomicReference<>();
    Thread other = new Thread(() -> {
      // A thread that has run kernels (libtorch sets a thread's count up at its first one).
      Torch.setIntraOpThreadsOnThisThread(1);
      assertThat(Torch.intraOpThreads()).isEqualTo(1);
      otherSet.countDown();
      try {
        jobSwitched.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      otherCount.set(Torch.intraOpThreads());
    });
    other.start();
    otherSet.await();
    int[] onJob = new int[1];
    onOwnThread(() -> {
      Torch.setIntraOpThreadsOnThisThread(1);
      StepThreads threads = StepThreads.onThisThread("job-c", Optional.of(2));
      threads.report(this, false);
      onJob[0] = Torch.intraOpThreads();
      jobSwitched.countDown();
      try {
        other.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      threads.restore();
    });
    assertThat(onJob[0]).isEqualTo(2);
    assertThat(otherCount.get()).isEqualTo(1);
  }

  @Test
  void aReplayCountBelowOneIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> StepThreads.check(Optional.of(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retort.trainer.replay-threads is 0");
  }

  private static void onOwnThread(Runnable body) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    t.join();
    if (failure.get() instanceof AssertionError e) {
      throw e;
    }
    if (failure.get() != null) {
      throw new IllegalStateException(failure.get());
    }
  }
}

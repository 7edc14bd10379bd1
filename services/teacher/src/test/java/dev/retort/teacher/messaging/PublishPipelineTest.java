package dev.retort.teacher.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PublishPipelineTest {

  @Test
  void theWorkerGoesOnWhileAnOutputIsPublished() throws Exception {
    CountDownLatch workerWentOn = new CountDownLatch(1);
    AtomicBoolean sawWorkerGoOn = new AtomicBoolean();
    try (PublishPipeline pipeline = new PublishPipeline("test-publisher")) {
      pipeline.submit(() -> sawWorkerGoOn.set(await(workerWentOn)));
      // Had the publish run on this thread, it would still be waiting for this line.
      workerWentOn.countDown();
      pipeline.drain();
    }
    assertThat(sawWorkerGoOn).isTrue();
  }

  @Test
  void aSecondOutputWaitsForTheFirstToBePublished() throws Exception {
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch secondHandedOver = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    try (PublishPipeline pipeline = new PublishPipeline("test-publisher")) {
      pipeline.submit(() -> {
        await(releaseFirst);
        order.add("first");
      });
      Thread worker = new Thread(() -> {
        pipeline.submit(() -> order.add("second"));
        secondHandedOver.countDown();
      });
      worker.start();

      assertThat(secondHandedOver.await(300, TimeUnit.MILLISECONDS)).isFalse();
      releaseFirst.countDown();
      assertThat(secondHandedOver.await(10, TimeUnit.SECONDS)).isTrue();
      worker.join();
      pipeline.drain();
    }
    assertThat(order).containsExactly("first", "second");
  }

  @Test
  void drainReturnsOnlyAfterTheLastPublish() {
    List<Integer> published = new CopyOnWriteArrayList<>();
    try (PublishPipeline pipeline = new PublishPipeline("test-publisher")) {
      for (int i = 0; i < 5; i++) {
        int n = i;
        pipeline.submit(() -> {
          sleep(20);
          published.add(n);
        });
      }
      pipeline.drain();
      assertThat(published).containsExactly(0, 1, 2, 3, 4);
    }
  }

  @Test
  void aPublishThatThrowsDoesNotStopTheNext() {
    List<String> published = new CopyOnWriteArrayList<>();
    try (PublishPipeline pipeline = new PublishPipeline("test-publisher")) {
      pipeline.submit(() -> {
        throw new IllegalStateException("broken on purpose");
      });
      pipeline.submit(() -> published.add("next"));
      pipeline.drain();
    }
    assertThat(published).containsExactly("next");
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

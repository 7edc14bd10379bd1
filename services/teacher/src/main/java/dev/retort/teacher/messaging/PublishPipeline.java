package dev.retort.teacher.messaging;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one teacher output on its own thread while the worker computes the next one.
 *
 * <p>Publishing an output (encoding it, sending its chunks, waiting for the acknowledgements of
 * the chunks and of its index entry) took 0.1–0.7 s for 12–79 MB on a 2-core machine, mostly
 * waiting on the broker; where the forward pass is short (a GPU) it can take longer than the pass.
 * Done on the worker, the engine sat idle meanwhile.
 *
 * <p>At most one output is being published: {@link #submit} first waits for the one before, so
 * the service holds at most two outputs (one publishing, one just computed) and a slow broker
 * slows the worker instead of filling the heap. The request batch is acknowledged only after
 * {@link #drain}, so its offsets are committed only once every output of the batch is on the
 * log (or dead-lettered): a crash loses nothing, it only recomputes.
 *
 * <p>Used by one worker thread at a time.
 */
public final class PublishPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PublishPipeline.class);

  private final ExecutorService thread;
  private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

  /**
   * Creates the pipeline and its publishing thread.
   *
   * @param threadName the name of the publishing thread
   */
  public PublishPipeline(String threadName) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Hands over a publish, after waiting for the previous one to finish.
   *
   * @param publish publishes one output; it handles its own failures (dead letters), anything it
   *     throws anyway is logged
   * @return how long this call waited for the previous publish
   */
  public Duration submit(Runnable publish) {
    long start = System.nanoTime();
    drain();
    long waited = System.nanoTime() - start;
    previous = CompletableFuture.runAsync(publish, thread).exceptionally(e -> {
      LOG.error("A teacher output's publish failed unexpectedly", e);
      return null;
    });
    return Duration.ofNanos(waited);
  }

  /** Waits until every publish handed over has finished. */
  public void drain() {
    previous.join();
  }

  /** Waits for the last publish, then stops the thread. */
  @Override
  public void close() {
    drain();
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

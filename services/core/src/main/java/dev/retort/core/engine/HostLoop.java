package dev.retort.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a loop over {@code [0, n)} on the host, split into contiguous ranges over as many threads as
 * the engine's intra-op pool ({@link Torch#intraOpThreads()}). The loops it runs sit between
 * engine calls, while the engine's own threads wait, so together they use the cores the service
 * was given and no more.
 *
 * <p>Short loops run on the calling thread: below {@link #MIN_RANGE} elements per thread, handing
 * a range to another thread costs more than it saves.
 */
public final class HostLoop {
  /** The fewest elements worth a thread of their own. */
  public static final int MIN_RANGE = 1 << 16;

  private static final AtomicInteger THREAD_IDS = new AtomicInteger();

  /** Daemon threads, created as needed and kept a minute while idle. */
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "retort-host-loop-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  /** Elements per stripe of {@link #forStripes}: a few float arrays of it stay in cache. */
  public static final int STRIPE = 4096;

  /**
   * The body of a loop over stripes.
   *
   * @param <S> the scratch state of one thread (its stripe arrays)
   */
  @FunctionalInterface
  public interface StripeBody<S> {
    /**
     * Processes elements {@code [start, start + len)}.
     *
     * @param scratch the calling thread's scratch state, made once per range
     * @param start the first element
     * @param len the number of elements, at most {@link #STRIPE}
     */
    void run(S scratch, int start, int len);
  }

  /** The body of a loop over one range. */
  @FunctionalInterface
  public interface RangeBody {
    /**
     * Runs the loop over {@code [from, to)}.
     *
     * @param from the first index
     * @param to one past the last index
     */
    void run(int from, int to);
  }

  private HostLoop() {}

  /**
   * Runs {@code body} over {@code [0, n)}, in ranges on up to {@link Torch#intraOpThreads()}
   * threads, and returns when every range has run.
   *
   * @param n the number of indices
   * @param body the loop over one range; ranges do not overlap, so a body that writes only the
   *     indices of its range needs no locking
   */
  public static void forRange(int n, RangeBody body) {
    forRange(n, Torch.intraOpThreads(), body);
  }

  /**
   * Runs {@code body} over {@code [0, n)} in ranges on up to {@code threads} threads.
   *
   * @param n the number of indices
   * @param threads the most threads to use, the caller's included
   * @param body the loop over one range
   */
  public static void forRange(int n, int threads, RangeBody body) {
    forRange(n, threads, MIN_RANGE, body);
  }

  /**
   * Runs {@code body} over {@code [0, n)} in ranges of at least {@code minRange} indices on up to
   * {@code threads} threads. Loops whose indices stand for blocks of work pass a small {@code
   * minRange}.
   *
   * @param n the number of indices
   * @param threads the most threads to use, the caller's included
   * @param minRange the fewest indices worth a thread of their own, at least 1
   * @param body the loop over one range
   */
  public static void forRange(int n, int threads, int minRange, RangeBody body) {
    int parts = (int) Math.min(Math.max(1, threads), Math.max(1, n / Math.max(1, minRange)));
    if (parts == 1) {
      body.run(0, n);
      return;
    }
    List<Future<?>> others = new ArrayList<>(parts - 1);
    for (int k = 1; k < parts; k++) {
      int from = bound(n, parts, k);
      int to = bound(n, parts, k + 1);
      others.add(POOL.submit(() -> body.run(from, to)));
    }
    RuntimeException failure = null;
    try {
      body.run(0, bound(n, parts, 1));
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> f : others) {
      try {
        f.get();
      } catch (ExecutionException e) {
        RuntimeException cause =
            e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while a host loop's ranges were running", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Runs {@code body} over {@code [0, n)} in stripes of {@link #STRIPE} elements (the last one
   * shorter), split over up to {@code threads} threads in ranges of at least {@link #MIN_RANGE}
   * elements. Each range makes its own scratch state first, so a body that copies its stripe into
   * the scratch arrays, works there and copies back needs no locking, and its element-wise loops
   * over plain arrays compile to SIMD instructions.
   *
   * @param n the number of elements
   * @param threads the most threads to use, the caller's included
   * @param scratch makes one thread's scratch state
   * @param body the work on one stripe
   * @param <S> the type of the scratch state
   */
  public static <S> void forStripes(
      int n, int threads, Supplier<S> scratch, StripeBody<S> body) {
    int stripes = (n + STRIPE - 1) / STRIPE;
    forRange(
        stripes,
        threads,
        MIN_RANGE / STRIPE,
        (from, to) -> {
          S state = scratch.get();
          for (int s = from; s < to; s++) {
            int start = s * STRIPE;
            body.run(state, start, Math.min(STRIPE, n - start));
          }
        });
  }

  private static int bound(int n, int parts, int k) {
    return (int) ((long) n * k / parts);
  }
}

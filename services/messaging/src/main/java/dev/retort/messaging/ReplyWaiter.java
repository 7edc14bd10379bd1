package dev.retort.messaging;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matches replies to requests by id: the trainer registers a request id before it sends a loss
 * request (or asks for a teacher output), and the consumer thread completes it when the reply
 * arrives.
 *
 * <p>Replies for ids that are not awaited are ignored and counted: a duplicate (the id was
 * completed already, e.g. a request answered twice after a retry), a late reply (the wait timed
 * out) or an unknown id (another trainer's request, or one from before a restart). A wait that
 * times out fails with a {@link TimeoutException} naming what was awaited, for which id, and for
 * how long. Thread-safe.
 *
 * @param <K> the id type
 * @param <V> the reply type
 */
public final class ReplyWaiter<K, V> implements AutoCloseable {
  /** How many finished ids are remembered to tell duplicates and late replies from unknown ids. */
  private static final int FINISHED_KEPT = 4096;

  /** What {@link #complete} did with a reply. */
  public enum Outcome {
    /** The reply completed a waiting request. */
    COMPLETED,
    /** The request was completed already; the reply was ignored. */
    DUPLICATE,
    /** The request had timed out; the reply was ignored. */
    LATE,
    /** No request with this id was awaited; the reply was ignored. */
    UNKNOWN
  }

  private final String awaited;
  private final Duration defaultTimeout;
  private final ScheduledThreadPoolExecutor timer;
  private final Map<K, Waiting<V>> waiting = new ConcurrentHashMap<>();
  private final Map<K, Outcome> finished = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<K, Outcome> eldest) {
      return size() > FINISHED_KEPT;
    }
  };
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();

  /**
   * Creates a waiter with its own timer thread (a daemon).
   *
   * @param awaited what is awaited, for messages, e.g. {@code "loss reply"}
   * @param defaultTimeout how long {@link #register(Object)} waits
   */
  public ReplyWaiter(String awaited, Duration defaultTimeout) {
    this.awaited = Objects.requireNonNull(awaited, "awaited");
    this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "retort-reply-waiter-" + awaited.replace(' ', '-'));
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts waiting for the reply to a request, with the default timeout.
   *
   * @param id the request id
   * @return completed with the reply, or failed with a {@link TimeoutException}
   * @throws IllegalStateException if the id is awaited already
   */
  public CompletableFuture<V> register(K id) {
    return register(id, defaultTimeout);
  }

  /**
   * Starts waiting for the reply to a request.
   *
   * @param id the request id
   * @param timeout how long to wait
   * @return completed with the reply, or failed with a {@link TimeoutException}; cancelling it
   *     stops the wait
   * @throws IllegalStateException if the id is awaited already
   */
  public CompletableFuture<V> register(K id, Duration timeout) {
    Objects.requireNonNull(id, "id");
    CompletableFuture<V> future = new CompletableFuture<>();
    Waiting<V> w = new Waiting<>(future);
    if (waiting.putIfAbsent(id, w) != null) {
      throw new IllegalStateException("a " + awaited + " for '" + id + "' is awaited already");
    }
    synchronized (finished) {
      finished.remove(id);
    }
    w.timer = timer.schedule(() -> timeOut(id, w, timeout), timeout.toNanos(),
        TimeUnit.NANOSECONDS);
    future.whenComplete((v, e) -> {
      waiting.remove(id, w);
      w.timer.cancel(false);
    });
    return future;
  }

  /**
   * Delivers a reply.
   *
   * @param id the request id the reply names
   * @param value the reply
   * @return whether it completed a waiting request, or why it was ignored
   */
  public Outcome complete(K id, V value) {
    Waiting<V> w = waiting.remove(id);
    if (w != null && w.future.complete(value)) {
      remember(id, Outcome.DUPLICATE);
      return Outcome.COMPLETED;
    }
    Outcome seen;
    synchronized (finished) {
      seen = finished.getOrDefault(id, Outcome.UNKNOWN);
    }
    (seen == Outcome.DUPLICATE ? duplicates : seen == Outcome.LATE ? late : unknown)
        .incrementAndGet();
    return seen;
  }

  /**
   * Fails the wait for a request, e.g. when the reply says the request could not be served.
   *
   * @param id the request id
   * @param error the error the waiting future fails with
   * @return whether a waiting request was failed
   */
  public boolean fail(K id, Throwable error) {
    Waiting<V> w = waiting.remove(id);
    if (w != null && w.future.completeExceptionally(error)) {
      remember(id, Outcome.DUPLICATE);
      return true;
    }
    return false;
  }

  /** Returns how many requests are awaited. */
  public int pending() {
    return waiting.size();
  }

  /** Returns how many replies came for requests that were completed already. */
  public long duplicates() {
    return duplicates.get();
  }

  /** Returns how many replies came after their wait had timed out. */
  public long late() {
    return late.get();
  }

  /** Returns how many replies named ids that were never awaited (or long forgotten). */
  public long unknown() {
    return unknown.get();
  }

  /** Returns how many waits timed out. */
  public long timeouts() {
    return timeouts.get();
  }

  /** Fails every wait with a {@link java.util.concurrent.CancellationException} and stops. */
  @Override
  public void close() {
    waiting.values().forEach(w -> w.future.cancel(false));
    timer.shutdownNow();
  }

  private void timeOut(K id, Waiting<V> w, Duration timeout) {
    if (waiting.remove(id, w)) {
      remember(id, Outcome.LATE);
      timeouts.incrementAndGet();
      w.future.completeExceptionally(new TimeoutException("no " + awaited + " for '" + id
          + "' within " + describe(timeout)));
    }
  }

  private void remember(K id, Outcome whatALaterReplyIs) {
    synchronized (finished) {
      finished.put(id, whatALaterReplyIs);
    }
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** A waiting request: its future and its timeout task. */
  private static final class Waiting<V> {
    final CompletableFuture<V> future;
    volatile ScheduledFuture<?> timer;

    Waiting(CompletableFuture<V> future) {
      this.future = future;
    }
  }
}

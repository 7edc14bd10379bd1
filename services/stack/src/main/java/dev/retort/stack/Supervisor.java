package dev.retort.stack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the processes of a {@link LocalStack} that die while the JVM that started them runs, as
 * Kubernetes restarts a crashed pod: a service killed by the OOM killer or a crash comes back on
 * the same port, and the jobs it served go on (their state is on Kafka and in the artifact store).
 *
 * <p>One daemon thread checks every {@link RestartPolicy#checkEvery()}. A dead process is
 * restarted through the stack (which waits until it is ready and records its new PID) unless it
 * was already restarted {@link RestartPolicy#maxRestarts()} times within {@link
 * RestartPolicy#window()}; then it stays down and the log says so once. Created by {@link
 * LocalStack#supervise}; closed by {@link LocalStack#stopAll()} before anything is stopped, and by
 * {@link LocalStack#stop(String)}'s lock kept from restarting a process being stopped.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  private final RestartPolicy policy;
  private final Supplier<List<String>> names;
  private final Predicate<String> dead;
  private final Function<String, Revival> restart;
  private final LongSupplier clock;
  private final Map<String, Deque<Long>> restarts = new HashMap<>();
  private final Set<String> givenUp = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;

  /** What a restart found and did. */
  enum Revival {
    /** The process ran after all (or is no longer part of the stack): nothing was done. */
    RUNNING,
    /** It was dead and has been restarted. */
    RESTARTED,
    /** It was dead and its restart failed. */
    FAILED
  }

  /**
   * Creates a supervisor; {@link #start()} starts its thread.
   *
   * @param policy how often to look and how often to restart
   * @param names the names of the processes to look after, asked anew at every look
   * @param dead whether the named process is part of the stack and not running
   * @param restart restarts the named process if it is still dead (the stack's, under its lock)
   * @param clock nanoseconds, for the window
   */
  Supervisor(RestartPolicy policy, Supplier<List<String>> names, Predicate<String> dead,
      Function<String, Revival> restart, LongSupplier clock) {
    this.policy = policy;
    this.names = names;
    this.dead = dead;
    this.restart = restart;
    this.clock = clock;
    this.thread = new Thread(this::loop, "retort-stack-supervisor");
    this.thread.setDaemon(true);
  }

  /** Starts the supervising thread. */
  void start() {
    thread.start();
  }

  /** Returns whether it still looks after the processes (not closed). */
  boolean running() {
    return running;
  }

  /** Returns the processes left down because they kept dying. */
  public Set<String> givenUp() {
    return Set.copyOf(givenUp);
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(policy.checkEvery().toMillis());
      } catch (InterruptedException e) {
        return;
      }
      for (String name : names.get()) {
        if (!running) {
          return;
        }
        try {
          look(name);
        } catch (RuntimeException e) {
          if (running) {
            LOG.error("Supervising {} failed; it will be looked at again", name, e);
          }
        }
      }
    }
  }

  /** Looks at one process once; package-private so that tests can drive it without the thread. */
  void look(String name) {
    if (givenUp.contains(name) || !dead.test(name)) {
      return;
    }
    Deque<Long> times = restarts.computeIfAbsent(name, n -> new ArrayDeque<>());
    long now = clock.getAsLong();
    while (!times.isEmpty() && times.peekFirst() < now - policy.window().toNanos()) {
      times.removeFirst();
    }
    if (times.size() >= policy.maxRestarts()) {
      givenUp.add(name);
      LOG.error("{} died again after {} restarts within {} s and is left down; see its log, then "
          + "start the platform again", name, times.size(), policy.window().toSeconds());
      return;
    }
    LOG.warn("{} is not running; restarting it (restart {} of at most {} within {} s)", name,
        times.size() + 1, policy.maxRestarts(), policy.window().toSeconds());
    if (restart.apply(name) != Revival.RUNNING) {
      times.addLast(now);
    }
  }

  /**
   * Stops looking. A restart under way is interrupted; the process it launched is still the
   * stack's, so {@link LocalStack#stopAll()} stops it.
   */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}

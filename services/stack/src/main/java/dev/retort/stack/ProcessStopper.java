package dev.retort.stack;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops OS processes, including ones another JVM started, and their child processes.
 *
 * <p>Polite first: {@link ProcessHandle#destroy()} sends SIGTERM, which runs the JVM's shutdown
 * hooks (Kafka's controlled shutdown, Quarkus' graceful stop). After the grace period
 * {@link ProcessHandle#destroyForcibly()} sends SIGKILL. Processes that are already gone are fine.
 */
public final class ProcessStopper {
  /** How long to wait for a process to disappear after SIGKILL. */
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private ProcessStopper() {}

  /**
   * Stops a process and its descendants politely, killing what is left after {@code grace}.
   *
   * @param process the process
   * @param grace how long the polite stop may take
   * @return true if the process had to be killed
   */
  public static boolean stop(ProcessHandle process, Duration grace) {
    List<ProcessHandle> children = process.descendants().toList();
    boolean killed = false;
    if (process.isAlive()) {
      process.destroy();
      if (!awaitExit(process, grace)) {
        killed = true;
        kill(process);
      }
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroy();
        if (!awaitExit(child, Duration.ofSeconds(2))) {
          kill(child);
        }
      }
    }
    return killed;
  }

  /**
   * Kills a process and its descendants at once (SIGKILL) and waits until they are gone.
   *
   * @param process the process
   */
  public static void kill(ProcessHandle process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    if (!awaitExit(process, KILL_WAIT)) {
      throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for "
          + KILL_WAIT.toSeconds() + " s");
    }
  }

  /**
   * Waits until a process has exited.
   *
   * @param process the process
   * @param timeout how long to wait
   * @return true if it exited in time
   */
  public static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}

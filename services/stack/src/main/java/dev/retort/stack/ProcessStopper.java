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
   * Stops a child process of this JVM as {@link #stop(ProcessHandle, Duration)} does, and returns
   * only once the {@link Process} itself has seen the exit, so that its {@link Process#isAlive()}
   * is false (see {@link #kill(Process)} for why that needs a wait of its own).
   *
   * @param process the process, started by this JVM
   * @param grace how long the polite stop may take
   * @return true if the process had to be killed
   */
  public static boolean stop(Process process, Duration grace) {
    boolean killed = stop(process.toHandle(), grace);
    awaitRecorded(process);
    return killed;
  }

  /**
   * Kills a child process of this JVM and its descendants as {@link #kill(ProcessHandle)} does, and
   * returns only once the {@link Process} itself has seen the exit.
   *
   * <p>The handle's {@code onExit()} can complete a moment before the JDK's reaper thread has marked
   * the {@code Process} as exited: both hang on the same exit, and the handle's side runs first.
   * Until then {@code isAlive()} still says true, and a restart that asked in that moment took the
   * killed service for a running one and started nothing (seen once in CI, on a loaded machine).
   *
   * @param process the process, started by this JVM
   */
  public static void kill(Process process) {
    kill(process.toHandle());
    awaitRecorded(process);
  }

  private static void awaitRecorded(Process process) {
    try {
      if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("process " + process.pid() + " was stopped but still "
            + "counts as running after " + KILL_WAIT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

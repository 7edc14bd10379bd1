package dev.retort.stack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * An OS process that {@link LocalStack} starts, records in its state file, and stops.
 *
 * <p>Implemented by {@link ServiceProcess} (a Java service) and {@link ProcessKafkaBroker}. Ports
 * chosen at the first start are kept, so {@link #restart()} after {@link #kill()} comes back at
 * the same address: that is what crash tests need.
 */
public interface ManagedProcess {

  /** Returns the unique name in the stack, also the log file's base name. */
  String name();

  /** Starts the process, if not running, and waits until it is ready. */
  void start();

  /** Stops politely (SIGTERM), then kills (SIGKILL) after the grace period; no-op if stopped. */
  void stop();

  /** Kills the process at once (SIGKILL, {@code kill -9}) and waits until it is gone. */
  void kill();

  /** Stops the process if it runs, then starts it again with the same ports and files. */
  void restart();

  /** Returns the running process, if any. */
  Optional<ProcessHandle> processHandle();

  /** Returns the ports the process listens on, by role (e.g. {@code http}, {@code kafka}). */
  Map<String, Integer> ports();

  /** Returns the file the process writes its output to. */
  Path logFile();

  /**
   * Returns what other components need to reach this process, e.g. {@code kafka.bootstrap.servers}
   * or {@code url}; recorded in the state file.
   */
  Map<String, String> properties();
}

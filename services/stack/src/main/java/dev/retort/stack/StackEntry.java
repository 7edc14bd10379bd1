package dev.retort.stack;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One process of a running stack, as recorded in {@code stack.json}.
 *
 * <p>The process start time guards against PID reuse: a later {@code retort down} only signals a
 * process whose PID and start time both match, so it never kills an unrelated process that got the
 * PID of a long-dead service.
 *
 * @param name the process name in the stack
 * @param pid the operating system's process id
 * @param startMillis when the process started (epoch ms), or -1 if the system did not say
 * @param ports ports by role
 * @param logFile the process's log file
 * @param properties how to reach it, e.g. {@code kafka.bootstrap.servers}
 */
public record StackEntry(
    String name,
    long pid,
    long startMillis,
    Map<String, Integer> ports,
    String logFile,
    Map<String, String> properties) {

  /** Start times read by two JVMs may differ by rounding; a reused PID differs by far more. */
  private static final long START_TOLERANCE_MS = 1000;

  /** Copies the maps, keeping their order. */
  public StackEntry {
    Objects.requireNonNull(name, "name");
    ports = new LinkedHashMap<>(ports == null ? Map.of() : ports);
    properties = new LinkedHashMap<>(properties == null ? Map.of() : properties);
  }

  /**
   * Returns the entry for a running process.
   *
   * @param process the process; must be running
   * @return its entry
   */
  public static StackEntry of(ManagedProcess process) {
    ProcessHandle handle = process.processHandle().orElseThrow(
        () -> new IllegalStateException(process.name() + " is not running"));
    return new StackEntry(process.name(), handle.pid(), startMillis(handle), process.ports(),
        process.logFile().toString(), process.properties());
  }

  /**
   * Returns the recorded process if it is still alive and is the same process (same start time).
   *
   * @return the live process, or empty if it is gone or its PID now belongs to another process
   */
  public Optional<ProcessHandle> liveProcess() {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (handle.isEmpty() || startMillis < 0) {
      return handle;
    }
    long actual = startMillis(handle.get());
    if (actual >= 0 && Math.abs(actual - startMillis) > START_TOLERANCE_MS) {
      return Optional.empty();
    }
    return handle;
  }

  private static long startMillis(ProcessHandle handle) {
    return handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
  }
}

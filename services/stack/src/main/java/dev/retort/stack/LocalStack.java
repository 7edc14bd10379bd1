package dev.retort.stack;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of OS processes (the Kafka broker and the Java services) started for a local stack, with a
 * state file so that another JVM can stop them.
 *
 * <p>Layout of the state directory: {@code stack.json} (PIDs, process start times, ports, how to
 * reach each process, in start order; see {@link StackState}), {@code logs/<name>.log}, and {@code
 * work/<name>/} (working directories). {@code retort up} starts the processes and exits, leaving
 * them running; {@code retort down} creates a fresh {@code LocalStack} on the same directory and
 * calls {@link #stopAll()}, which stops every recorded process that still runs (SIGTERM, then
 * SIGKILL after the grace period, in reverse start order, so services stop before the broker) and
 * removes the state file. Dead processes and PIDs that now belong to another process are skipped.
 * {@code retort demo} calls {@link #stopOnExit()} so that even Ctrl-C leaves nothing running.
 *
 * <p>Crash tests use {@link #kill9(String)} and {@link #restart(String)}; a restart keeps the ports
 * and updates the recorded PID. A JVM that owns its stack ({@code retort demo}) can also have dead
 * processes restarted by themselves ({@link #supervise}).
 */
public final class LocalStack implements AutoCloseable {
  /** Name of the state file in the state directory. */
  public static final String STATE_FILE = "stack.json";

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  private final Path stateDir;
  private final Duration stopGrace;
  private final Map<String, ManagedProcess> managed =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private final Object stateLock = new Object();
  // Orders the supervisor's restarts with stop(), restart() and stopAll(): a process being
  // stopped is never restarted behind the stopper's back.
  private final Object lifecycle = new Object();
  private Thread shutdownHook;
  private Supervisor supervisor;

  /**
   * Opens a stack on a state directory, with a 20 s grace period for processes of other JVMs.
   *
   * @param stateDir the state directory (created when the first process starts)
   */
  public LocalStack(Path stateDir) {
    this(stateDir, Duration.ofSeconds(20));
  }

  /**
   * Opens a stack on a state directory.
   *
   * @param stateDir the state directory (created when the first process starts)
   * @param stopGrace how long {@link #stopAll()} waits after SIGTERM before SIGKILL, for processes
   *     this instance did not start (its own use their own grace periods)
   */
  public LocalStack(Path stateDir, Duration stopGrace) {
    this.stateDir = stateDir.toAbsolutePath().normalize();
    this.stopGrace = stopGrace;
  }

  /** Returns the state directory. */
  public Path stateDir() {
    return stateDir;
  }

  /** Returns the state file, {@code <stateDir>/stack.json}. */
  public Path stateFile() {
    return stateDir.resolve(STATE_FILE);
  }

  /**
   * Returns the log file of a process, {@code <stateDir>/logs/<name>.log}.
   *
   * @param name the process name
   * @return the path
   */
  public Path logFile(String name) {
    return stateDir.resolve("logs").resolve(name + ".log");
  }

  /** Returns the recorded state; empty if nothing runs. */
  public StackState state() {
    synchronized (stateLock) {
      return StackState.read(stateFile());
    }
  }

  /**
   * Starts a Java service, waits until it is ready, and records it.
   *
   * @param spec the service
   * @return the running service
   */
  public ServiceProcess startService(ServiceSpec spec) {
    Path workDir = stateDir.resolve("work").resolve(spec.name());
    return start(new ServiceProcess(spec, logFile(spec.name()), workDir));
  }

  /**
   * Returns settings for the stack's broker: data in {@code <stateDir>/kafka/}, log in {@code
   * <stateDir>/logs/kafka.log}; the caller may change anything before {@code build()}.
   *
   * @return a settings builder
   */
  public KafkaSettings.Builder kafkaSettings() {
    return KafkaSettings.builder()
        .setWorkDir(stateDir.resolve(ProcessKafkaBroker.NAME))
        .optLogFile(logFile(ProcessKafkaBroker.NAME));
  }

  /**
   * Starts the stack's broker: a broker that runs as a process (see {@link KafkaBrokers}) is
   * recorded like any other process; an embedded or external one is only started.
   *
   * @param broker the broker, e.g. from {@link KafkaBrokers#fromConfig} with {@link
   *     #kafkaSettings()}
   * @param <T> its type
   * @return the same broker, ready
   */
  public <T extends KafkaBroker> T startKafka(T broker) {
    if (broker instanceof ManagedProcess process) {
      start(process);
    } else {
      broker.start();
    }
    return broker;
  }

  /**
   * Starts a process (e.g. a {@link ProcessKafkaBroker}), waits until it is ready, and records it.
   *
   * @param process the process
   * @param <T> its type
   * @return the same process, running
   * @throws RetortException if a process of that name from an earlier start still runs
   */
  public <T extends ManagedProcess> T start(T process) {
    String name = process.name();
    Optional<StackEntry> earlier = state().find(name).filter(e -> e.liveProcess().isPresent());
    if (earlier.isPresent() && !managed.containsKey(name)) {
      throw new RetortException(stateFile().toString(),
          name + " is still running (pid " + earlier.get().pid() + ") from an earlier start",
          "Stop the stack first (retort down), or use another state directory");
    }
    if (managed.putIfAbsent(name, process) != null) {
      throw new IllegalStateException(name + " is already part of this stack");
    }
    try {
      process.start();
    } catch (RuntimeException e) {
      managed.remove(name);
      throw e;
    }
    record(process);
    return process;
  }

  /**
   * Returns a process this instance started.
   *
   * @param name the process name
   * @return the process
   */
  public ManagedProcess get(String name) {
    ManagedProcess process = managed.get(name);
    if (process == null) {
      throw new IllegalArgumentException("no process named " + name + " was started by this stack;"
          + " known: " + managed.keySet());
    }
    return process;
  }

  /**
   * Kills a process at once ({@code kill -9}), for crash tests; its entry stays until restart.
   *
   * @param name the process name
   */
  public void kill9(String name) {
    get(name).kill();
  }

  /**
   * Restarts a process (stopping it first if it runs) with the same ports, and records its new PID.
   *
   * @param name the process name
   */
  public void restart(String name) {
    synchronized (lifecycle) {
      ManagedProcess process = get(name);
      process.restart();
      record(process);
    }
  }

  /**
   * Stops one process politely and forgets it.
   *
   * @param name the process name
   */
  public void stop(String name) {
    synchronized (lifecycle) {
      get(name).stop();
      managed.remove(name);
      synchronized (stateLock) {
        StackState.read(stateFile()).without(name).write(stateFile());
      }
    }
  }

  /**
   * Restarts this stack's processes when they die, for as long as this JVM runs (see {@link
   * Supervisor}); for {@code retort demo}, which owns its platform. Calling it again returns the
   * running supervisor (or starts a new one if it was closed). {@link #kill9(String)} then counts
   * as a crash: the process comes back without a {@link #restart(String)}.
   *
   * @param policy how often to look and how often to restart
   * @return the supervisor; {@link #stopAll()} closes it
   */
  public synchronized Supervisor supervise(RestartPolicy policy) {
    if (supervisor == null || !supervisor.running()) {
      supervisor = new Supervisor(policy, this::ownNames, this::isDead, this::restartIfDead,
          System::nanoTime);
      supervisor.start();
    }
    return supervisor;
  }

  private List<String> ownNames() {
    synchronized (managed) {
      return List.copyOf(managed.keySet());
    }
  }

  private boolean isDead(String name) {
    ManagedProcess process = managed.get(name);
    return process != null && process.processHandle().isEmpty();
  }

  private Supervisor.Revival restartIfDead(String name) {
    synchronized (lifecycle) {
      ManagedProcess process = managed.get(name);
      if (process == null || process.processHandle().isPresent()) {
        return Supervisor.Revival.RUNNING;
      }
      try {
        process.restart();
        record(process);
        LOG.info("{} is running again (pid {})", name,
            process.processHandle().map(ProcessHandle::pid).orElse(-1L));
        return Supervisor.Revival.RESTARTED;
      } catch (RuntimeException e) {
        LOG.error("Restarting {} failed: {}", name, e.getMessage());
        return Supervisor.Revival.FAILED;
      }
    }
  }

  private synchronized Supervisor takeSupervisor() {
    Supervisor s = supervisor;
    supervisor = null;
    return s;
  }

  /**
   * Stops every recorded process, also those another JVM started, and removes the state file.
   *
   * <p>Order: reverse start order. Processes already gone, and PIDs now used by an unrelated
   * process, are skipped.
   *
   * @return the entries whose processes were running and have been stopped
   */
  public List<StackEntry> stopAll() {
    Supervisor s = takeSupervisor();
    if (s != null) {
      s.close();
    }
    synchronized (lifecycle) {
      return stopAllProcesses();
    }
  }

  private List<StackEntry> stopAllProcesses() {
    List<StackEntry> entries = new ArrayList<>(state().entries());
    Collections.reverse(entries);
    List<StackEntry> stopped = new ArrayList<>();
    for (StackEntry entry : entries) {
      ManagedProcess own = managed.remove(entry.name());
      Optional<ProcessHandle> live = entry.liveProcess();
      if (own != null ? own.processHandle().isPresent() : live.isPresent()) {
        LOG.info("Stopping {} (pid {})", entry.name(), entry.pid());
        stopped.add(entry);
      }
      if (own != null) {
        own.stop();
      } else if (live.isPresent() && ProcessStopper.stop(live.get(), stopGrace)) {
        LOG.warn("{} (pid {}) ignored SIGTERM for {} s and was killed", entry.name(), entry.pid(),
            stopGrace.toSeconds());
      }
    }
    List<ManagedProcess> unrecorded;
    synchronized (managed) {
      unrecorded = new ArrayList<>(managed.values());
      managed.clear();
    }
    Collections.reverse(unrecorded);
    unrecorded.forEach(ManagedProcess::stop);
    synchronized (stateLock) {
      try {
        Files.deleteIfExists(stateFile());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + stateFile(), e);
      }
    }
    return stopped;
  }

  /**
   * Registers a JVM shutdown hook that runs {@link #stopAll()}, so that a normal exit, an
   * exception or Ctrl-C (SIGINT/SIGTERM) leaves nothing running. Only SIGKILL of this JVM escapes
   * it; {@code retort down} then cleans up from the state file.
   *
   * @return this stack
   */
  public synchronized LocalStack stopOnExit() {
    if (shutdownHook == null) {
      shutdownHook = new Thread(() -> {
        try {
          stopAll();
        } catch (RuntimeException e) {
          LOG.error("Stopping the local stack on exit failed; run retort down", e);
        }
      }, "retort-stack-stop-on-exit");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    return this;
  }

  /** Stops everything, as {@link #stopAll()}, and removes the shutdown hook if one was added. */
  @Override
  public synchronized void close() {
    stopAll();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook has nothing left to do.
      }
      shutdownHook = null;
    }
  }

  private void record(ManagedProcess process) {
    synchronized (stateLock) {
      StackState.read(stateFile())
          .withoutStale(managed.keySet())
          .with(StackEntry.of(process))
          .write(stateFile());
    }
  }
}

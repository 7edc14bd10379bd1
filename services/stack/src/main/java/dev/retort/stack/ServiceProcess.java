package dev.retort.stack;

import dev.retort.core.RetortException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Java service running as an OS process, started from a {@link ServiceSpec}.
 *
 * <p>{@link #start()} launches {@code java} (the caller's JDK) with the spec's options and the HTTP
 * port as a system property, appends all output to the log file, and polls the readiness URL. If
 * the process exits or does not answer in time it is killed, and the error quotes the end of its
 * log. The port is chosen once, so {@link #restart()} keeps the address. Usually created through
 * {@link LocalStack#startService}, which also records it for {@code retort down}.
 */
public final class ServiceProcess implements ManagedProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);

  private final ServiceSpec spec;
  private final Path logFile;
  private final Path workDir;
  // Volatile, not guarded by the start lock: stop() and kill() (e.g. from a shutdown hook) must
  // not wait for a start() that is still polling the readiness URL.
  private volatile int port;
  private volatile Process process;

  /**
   * Creates a service; nothing starts until {@link #start()}.
   *
   * @param spec what to run
   * @param logFile where its output goes
   * @param workDir its working directory (the spec's own, if set, takes precedence)
   */
  public ServiceProcess(ServiceSpec spec, Path logFile, Path workDir) {
    this.spec = spec;
    this.logFile = logFile.toAbsolutePath();
    this.workDir = (spec.workDir() != null ? spec.workDir() : workDir).toAbsolutePath();
    this.port = spec.httpPort();
  }

  @Override
  public String name() {
    return spec.name();
  }

  /** Returns the spec this service runs. */
  public ServiceSpec spec() {
    return spec;
  }

  @Override
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    if (port == 0) {
      port = FreePorts.pick();
    }
    long t0 = System.nanoTime();
    Process started = ProcessLauncher.launch(command(), workDir, spec.env(), logFile);
    process = started;
    URI url = healthUrl();
    Readiness readiness = HealthCheck.await(url, spec.startTimeout(), started::isAlive);
    if (!readiness.ready()) {
      boolean exited = !started.isAlive();
      ProcessStopper.kill(started);
      String what = exited
          ? "service " + name() + " exited with code " + started.exitValue()
              + " before it was ready"
          : "service " + name() + " was not ready at " + url + " after "
              + spec.startTimeout().toSeconds() + " s (last answer: " + readiness.lastError()
              + "); it was killed";
      throw new RetortException(logFile.toString(), what, LogTail.readLogHint(logFile, 40));
    }
    LOG.info("Service {} ready at {} in {} ms (pid {}); log {}", name(), url,
        (System.nanoTime() - t0) / 1_000_000, started.pid(), logFile);
  }

  @Override
  public void stop() {
    Process current = process;
    if (current != null && ProcessStopper.stop(current, spec.stopTimeout())) {
      LOG.warn("Service {} (pid {}) did not stop within {} s and was killed", name(),
          current.pid(), spec.stopTimeout().toSeconds());
    }
  }

  @Override
  public void kill() {
    Process current = process;
    if (current != null) {
      ProcessStopper.kill(current);
    }
  }

  @Override
  public synchronized void restart() {
    stop();
    start();
  }

  @Override
  public Optional<ProcessHandle> processHandle() {
    Process current = process;
    return current == null || !current.isAlive() ? Optional.empty()
        : Optional.of(current.toHandle());
  }

  @Override
  public Map<String, Integer> ports() {
    return port == 0 ? Map.of() : Map.of("http", port);
  }

  @Override
  public Path logFile() {
    return logFile;
  }

  @Override
  public Map<String, String> properties() {
    return port == 0 ? Map.of() : Map.of("url", "http://" + FreePorts.HOST + ":" + port);
  }

  /** Returns the readiness URL; the port is known after the first start. */
  public URI healthUrl() {
    return URI.create("http://" + FreePorts.HOST + ":" + port + spec.healthPath());
  }

  private List<String> command() {
    Map<String, String> properties = new LinkedHashMap<>(spec.systemProperties());
    if (spec.portProperty() != null) {
      properties.put(spec.portProperty(), Integer.toString(port));
    }
    List<String> java = spec.jar() != null
        ? JavaCommand.forJar(spec.jvmOptions(), properties, spec.jar(), spec.args())
        : JavaCommand.forMainClass(spec.jvmOptions(), properties, spec.classpath(),
            spec.mainClass(), spec.args());
    return JavaCommand.niced(spec.niceness(), java);
  }
}

package dev.retort.stack;

import dev.retort.core.RetortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft combined mode, one node) run as a separate JVM process.
 *
 * <p>The broker is {@code org.apache.kafka:kafka_2.13}, the same code as Kafka's binary
 * distribution, started from its Maven jars ({@link BrokerClasspath}) with the same JDK as the
 * caller. The first start formats the data directory ({@code kafka.tools.StorageTool format -t
 * <cluster id> -c server.properties}, in its own short-lived JVM); every start then runs {@code
 * kafka.Kafka server.properties} and waits until the admin client sees the broker. Both JVMs
 * append their output to {@link KafkaSettings#logFile()}; every error message points at it.
 *
 * <p>Ports are chosen once (free ports unless given) and kept: {@link #kill()} followed by {@link
 * #restart()} brings the broker back at the same address with the same data, as crash tests need.
 * The process outlives the JVM that started it unless stopped, so {@code retort up} can return;
 * {@link LocalStack} records it for {@code retort down}.
 */
public final class ProcessKafkaBroker implements KafkaBroker, ManagedProcess {
  /** The broker's name in a {@link LocalStack}. */
  public static final String NAME = "kafka";

  private static final Logger LOG = LoggerFactory.getLogger(ProcessKafkaBroker.class);

  /**
   * Logging of the broker JVMs, through slf4j-simple (the binding on the broker classpath): all of
   * it to stdout, which goes to the log file, with time stamps and thread names for post-mortems.
   */
  private static final Map<String, String> LOGGING = Map.of(
      "org.slf4j.simpleLogger.logFile", "System.out",
      "org.slf4j.simpleLogger.defaultLogLevel", "info",
      "org.slf4j.simpleLogger.showDateTime", "true",
      "org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");

  private final KafkaSettings settings;
  // Volatile, not guarded by the start lock: stop() and kill() (e.g. from a shutdown hook) must
  // not wait for a start() that is still waiting for the broker.
  private volatile BrokerPorts ports;
  private volatile Process process;

  /**
   * Creates a broker; nothing starts until {@link #start()}.
   *
   * @param settings where and how to run it
   */
  public ProcessKafkaBroker(KafkaSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    String classpath = BrokerClasspath.resolve();
    if (ports == null) {
      ports = BrokerPorts.choose(settings);
    }
    Path propertiesFile = settings.workDir().resolve("server.properties");
    BrokerProperties.write(BrokerProperties.of(settings, ports), propertiesFile);
    long t0 = System.nanoTime();
    if (!isFormatted()) {
      format(classpath, propertiesFile);
    }
    long t1 = System.nanoTime();
    process = ProcessLauncher.launch(
        command(classpath, "kafka.Kafka", List.of(propertiesFile.toString())),
        settings.workDir(), Map.of(), settings.logFile());
    Process started = process;
    try {
      awaitReady(settings.startTimeout());
    } catch (RuntimeException e) {
      ProcessStopper.kill(started);
      throw e;
    }
    LOG.info("Kafka broker {} ready (pid {}): format {} ms, start {} ms; log {}",
        bootstrapServers(), started.pid(), (t1 - t0) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000, settings.logFile());
  }

  @Override
  public void awaitReady(Duration timeout) {
    Process current = process;
    Readiness readiness = KafkaAdmin.awaitReady(bootstrapServers(), timeout,
        () -> current != null && current.isAlive());
    if (readiness.ready()) {
      return;
    }
    String what = current == null || current.isAlive()
        ? "the Kafka broker at " + bootstrapServers() + " was not ready after "
            + timeout.toSeconds() + " s (last error: " + readiness.lastError() + ")"
        : "the Kafka broker process exited with code " + current.exitValue()
            + " before it was ready";
    throw new RetortException(settings.logFile().toString(), what,
        LogTail.readLogHint(settings.logFile(), 30));
  }

  @Override
  public void stop() {
    Process current = process;
    if (current != null && ProcessStopper.stop(current, settings.stopTimeout())) {
      LOG.warn("Kafka broker (pid {}) did not stop within {} s and was killed", current.pid(),
          settings.stopTimeout().toSeconds());
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
  public String bootstrapServers() {
    BrokerPorts current = ports;
    if (current == null) {
      throw new IllegalStateException("the broker has not been started, so it has no port yet");
    }
    return current.bootstrapServers();
  }

  @Override
  public Optional<ProcessHandle> processHandle() {
    Process current = process;
    return current == null || !current.isAlive() ? Optional.empty()
        : Optional.of(current.toHandle());
  }

  @Override
  public Map<String, Integer> ports() {
    BrokerPorts current = ports;
    if (current == null) {
      return Map.of();
    }
    Map<String, Integer> map = new LinkedHashMap<>();
    map.put("kafka", current.client());
    map.put("controller", current.controller());
    return map;
  }

  @Override
  public Path logFile() {
    return settings.logFile();
  }

  @Override
  public Map<String, String> properties() {
    return ports == null ? Map.of() : Map.of("kafka.bootstrap.servers", bootstrapServers());
  }

  /** Returns the settings this broker was created with. */
  public KafkaSettings settings() {
    return settings;
  }

  private boolean isFormatted() {
    return Files.isRegularFile(settings.dataDir().resolve("meta.properties"));
  }

  /** Formats the data directory with a new cluster id, in a JVM of its own. */
  private void format(String classpath, Path propertiesFile) {
    String clusterId = Uuid.randomUuid().toString(); // 22 characters of base64, as Kafka wants
    List<String> args = List.of("format", "-t", clusterId, "-c", propertiesFile.toString());
    Process formatter = ProcessLauncher.launch(command(classpath, "kafka.tools.StorageTool", args),
        settings.workDir(), Map.of(), settings.logFile());
    try {
      if (!formatter.waitFor(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessStopper.kill(formatter);
        throw formatError("did not finish within " + settings.startTimeout().toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      ProcessStopper.kill(formatter);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting " + settings.dataDir(), e);
    }
    if (formatter.exitValue() != 0) {
      throw formatError("failed with exit code " + formatter.exitValue());
    }
  }

  private RetortException formatError(String what) {
    return new RetortException(settings.logFile().toString(),
        "formatting the Kafka data directory " + settings.dataDir() + " " + what,
        LogTail.readLogHint(settings.logFile(), 30));
  }

  private List<String> command(String classpath, String mainClass, List<String> args) {
    List<String> jvm = new ArrayList<>(settings.jvmOptions());
    return JavaCommand.forMainClass(jvm, LOGGING, classpath, mainClass, args);
  }
}

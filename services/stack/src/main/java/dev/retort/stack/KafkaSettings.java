package dev.retort.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a local broker: where its files go, its ports and the settings callers may change.
 *
 * <p>Used by {@link ProcessKafkaBroker} and {@link EmbeddedKafkaBroker} alike;
 * {@link BrokerProperties} turns it into {@code server.properties}. {@link ExternalKafka} only
 * reads {@link #startTimeout()}.
 *
 * @param workDir the broker's directory: {@code server.properties}, and the data in {@code data/}
 * @param logFile where the broker process writes its output
 * @param port the client (PLAINTEXT) port; 0 picks a free one at the first start
 * @param controllerPort the KRaft controller port; 0 picks a free one at the first start
 * @param messageMaxBytes {@code message.max.bytes}: the largest record batch the broker accepts
 * @param numPartitions {@code num.partitions}: partitions of topics created without a count
 * @param autoCreateTopics {@code auto.create.topics.enable}
 * @param startTimeout how long to wait for the broker to answer before giving up
 * @param stopTimeout how long a polite shutdown may take before the process is killed
 * @param jvmOptions JVM options of the broker process (process mode only)
 * @param extraProperties further broker properties; they override the computed ones
 */
public record KafkaSettings(
    Path workDir,
    Path logFile,
    int port,
    int controllerPort,
    int messageMaxBytes,
    int numPartitions,
    boolean autoCreateTopics,
    Duration startTimeout,
    Duration stopTimeout,
    List<String> jvmOptions,
    Map<String, String> extraProperties) {

  /**
   * Default JVM options of the broker process: a 512 MiB heap is plenty for a local broker, the
   * serial collector uses no extra GC threads on 2-core machines, and C1-only compilation starts
   * the broker faster; a local broker is never CPU-bound by its own code.
   */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-Djava.awt.headless=true");

  /**
   * Default {@code message.max.bytes}: 8 MiB. Kafka's 1 MiB is too small for a batch of teacher
   * logits and hidden states in fp16; callers that send more raise it (and the clients' limits).
   */
  public static final int DEFAULT_MESSAGE_MAX_BYTES = 8 * 1024 * 1024;

  /** Largest allowed {@code message.max.bytes}: 512 MiB, well below the 2 GiB int limit. */
  static final int MAX_MESSAGE_MAX_BYTES = 512 * 1024 * 1024;

  /** Copies the collections and checks the values. */
  public KafkaSettings {
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(logFile, "logFile");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    workDir = workDir.toAbsolutePath().normalize();
    logFile = logFile.toAbsolutePath().normalize();
    jvmOptions = List.copyOf(jvmOptions);
    extraProperties = Map.copyOf(extraProperties);
    checkPort("port", port);
    checkPort("controllerPort", controllerPort);
    if (port != 0 && port == controllerPort) {
      throw new IllegalArgumentException("port and controllerPort must differ: " + port);
    }
    if (messageMaxBytes < 1024 || messageMaxBytes > MAX_MESSAGE_MAX_BYTES) {
      throw new IllegalArgumentException(
          "messageMaxBytes must be in [1024, " + MAX_MESSAGE_MAX_BYTES + "]: " + messageMaxBytes);
    }
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be at least 1: " + numPartitions);
    }
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
    }
    if (stopTimeout.isNegative()) {
      throw new IllegalArgumentException("stopTimeout must not be negative: " + stopTimeout);
    }
  }

  private static void checkPort(String name, int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(name + " must be in [0, 65535]: " + value);
    }
  }

  /** Returns the directory the broker stores its logs (the data) in. */
  public Path dataDir() {
    return workDir.resolve("data");
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link KafkaSettings}; the work directory is required. */
  public static final class Builder {
    private Path workDir;
    private Path logFile;
    private int port;
    private int controllerPort;
    private int messageMaxBytes = DEFAULT_MESSAGE_MAX_BYTES;
    private int numPartitions = 1;
    private boolean autoCreateTopics;
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(20);
    private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
    private final Map<String, String> extraProperties = new LinkedHashMap<>();

    private Builder() {}

    /** Sets the broker's directory (required). */
    public Builder setWorkDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    /** Sets the log file of the broker process (default {@code <workDir>/kafka.log}). */
    public Builder optLogFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /** Sets the client port (default 0: a free port). */
    public Builder optPort(int port) {
      this.port = port;
      return this;
    }

    /** Sets the controller port (default 0: a free port). */
    public Builder optControllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    /** Sets {@code message.max.bytes} (default {@link #DEFAULT_MESSAGE_MAX_BYTES}). */
    public Builder optMessageMaxBytes(int messageMaxBytes) {
      this.messageMaxBytes = messageMaxBytes;
      return this;
    }

    /** Sets {@code num.partitions} (default 1). */
    public Builder optNumPartitions(int numPartitions) {
      this.numPartitions = numPartitions;
      return this;
    }

    /** Sets {@code auto.create.topics.enable} (default false). */
    public Builder optAutoCreateTopics(boolean autoCreateTopics) {
      this.autoCreateTopics = autoCreateTopics;
      return this;
    }

    /** Sets how long to wait for the broker to become ready (default 60 s). */
    public Builder optStartTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    /** Sets how long a polite stop may take before the process is killed (default 20 s). */
    public Builder optStopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    /** Replaces the broker JVM options (default {@link #DEFAULT_JVM_OPTIONS}). */
    public Builder optJvmOptions(List<String> jvmOptions) {
      this.jvmOptions = jvmOptions;
      return this;
    }

    /** Adds a broker property that overrides the computed one. */
    public Builder optProperty(String key, String value) {
      extraProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /** Validates and returns the settings. */
    public KafkaSettings build() {
      if (workDir == null) {
        throw new IllegalArgumentException("You must specify the broker work directory");
      }
      Path log = logFile != null ? logFile : workDir.resolve("kafka.log");
      return new KafkaSettings(workDir, log, port, controllerPort, messageMaxBytes, numPartitions,
          autoCreateTopics, startTimeout, stopTimeout, jvmOptions, extraProperties);
    }
  }
}

package dev.retort.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to run one Java service as a process: what to launch, with which settings, and how to tell
 * that it is ready.
 *
 * <p>Either {@code jar} (run with {@code java -jar}, e.g. Quarkus' {@code quarkus-run.jar}) or
 * {@code classpath} plus {@code mainClass} is set. The HTTP port goes to the service as the system
 * property {@code portProperty} ({@code quarkus.http.port} by default); readiness is an HTTP 200
 * from {@code http://127.0.0.1:<port><healthPath>} ({@code /q/health/ready} by default, the
 * SmallRye Health convention). Nothing else here is specific to Quarkus.
 *
 * @param name unique name in the stack; the log file is {@code <stateDir>/logs/<name>.log}
 * @param jar the executable jar, or null
 * @param classpath the classpath, or null when {@code jar} is set
 * @param mainClass the main class, or null when {@code jar} is set
 * @param args program arguments
 * @param jvmOptions JVM options, e.g. {@code -Xmx1g}
 * @param systemProperties system properties, e.g. {@code kafka.bootstrap.servers}
 * @param env environment variables added to the caller's environment
 * @param workDir the working directory, or null for {@code <stateDir>/work/<name>}
 * @param httpPort the HTTP port; 0 picks a free one at the first start
 * @param portProperty the system property that tells the service its port, or null for none
 * @param healthPath the path of the readiness URL
 * @param startTimeout how long to wait for readiness
 * @param stopTimeout how long a polite stop may take before the process is killed
 * @param niceness how much lower than the caller's the process's CPU priority is: 0 (the same) to
 *     19 (the lowest), applied with {@code nice -n} where the system has it
 */
public record ServiceSpec(
    String name,
    Path jar,
    String classpath,
    String mainClass,
    List<String> args,
    List<String> jvmOptions,
    Map<String, String> systemProperties,
    Map<String, String> env,
    Path workDir,
    int httpPort,
    String portProperty,
    String healthPath,
    Duration startTimeout,
    Duration stopTimeout,
    int niceness) {

  /** Legal service names: they become file names. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** Copies the collections and checks the values. */
  public ServiceSpec {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("service name must match " + NAME + ": '" + name + "'");
    }
    if ((jar == null) == (classpath == null || mainClass == null)) {
      throw new IllegalArgumentException(
          "service " + name + ": set either a jar or a classpath and a main class");
    }
    args = List.copyOf(args);
    jvmOptions = List.copyOf(jvmOptions);
    systemProperties = Map.copyOf(systemProperties);
    env = Map.copyOf(env);
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("httpPort must be in [0, 65535]: " + httpPort);
    }
    Objects.requireNonNull(healthPath, "healthPath");
    if (!healthPath.startsWith("/")) {
      throw new IllegalArgumentException("healthPath must start with '/': " + healthPath);
    }
    if (startTimeout.isNegative() || startTimeout.isZero() || stopTimeout.isNegative()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (niceness < 0 || niceness > 19) {
      throw new IllegalArgumentException(
          "service " + name + ": niceness must be in [0, 19] (a higher priority needs root): " + niceness);
    }
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ServiceSpec}; required: the name, and a jar or a classpath and main class. */
  public static final class Builder {
    private String name;
    private Path jar;
    private String classpath;
    private String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path workDir;
    private int httpPort;
    private String portProperty = "quarkus.http.port";
    private String healthPath = "/q/health/ready";
    private Duration startTimeout = Duration.ofSeconds(120);
    private Duration stopTimeout = Duration.ofSeconds(10);
    private int niceness;

    private Builder() {}

    /** Sets the service name (required). */
    public Builder setName(String name) {
      this.name = name;
      return this;
    }

    /** Sets the executable jar (required unless a classpath and main class are set). */
    public Builder setJar(Path jar) {
      this.jar = jar;
      return this;
    }

    /** Sets the classpath and main class (required unless a jar is set). */
    public Builder setMainClass(String classpath, String mainClass) {
      this.classpath = classpath;
      this.mainClass = mainClass;
      return this;
    }

    /** Adds program arguments. */
    public Builder optArgs(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    /** Adds JVM options. */
    public Builder optJvmOptions(String... options) {
      this.jvmOptions.addAll(List.of(options));
      return this;
    }

    /** Adds a system property. */
    public Builder optSystemProperty(String key, String value) {
      systemProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /** Adds an environment variable. */
    public Builder optEnv(String key, String value) {
      env.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /** Sets the working directory (default {@code <stateDir>/work/<name>}). */
    public Builder optWorkDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    /** Sets the HTTP port (default 0: a free port). */
    public Builder optHttpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    /** Sets the system property that carries the port (default {@code quarkus.http.port}). */
    public Builder optPortProperty(String portProperty) {
      this.portProperty = portProperty;
      return this;
    }

    /** Sets the readiness path (default {@code /q/health/ready}). */
    public Builder optHealthPath(String healthPath) {
      this.healthPath = healthPath;
      return this;
    }

    /** Sets how long to wait for readiness (default 120 s). */
    public Builder optStartTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    /** Sets how long a polite stop may take (default 10 s). */
    public Builder optStopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    /**
     * Lowers the process's CPU priority (default 0: the caller's): a service off the critical
     * path then takes only the cores that the others leave idle.
     */
    public Builder optNiceness(int niceness) {
      this.niceness = niceness;
      return this;
    }

    /** Validates and returns the spec. */
    public ServiceSpec build() {
      if (name == null) {
        throw new IllegalArgumentException("You must specify the service name (setName)");
      }
      return new ServiceSpec(name, jar, classpath, mainClass, args, jvmOptions, systemProperties,
          env, workDir, httpPort, portProperty, healthPath, startTimeout, stopTimeout, niceness);
    }
  }
}

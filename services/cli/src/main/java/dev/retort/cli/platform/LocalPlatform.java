package dev.retort.cli.platform;

import dev.retort.core.RetortException;
import dev.retort.messaging.TopicAdmin;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.stack.KafkaBroker;
import dev.retort.stack.LocalStack;
import dev.retort.stack.ProcessKafkaBroker;
import dev.retort.stack.ServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The whole platform on one machine: a real Kafka broker started from its Maven jars, the topics,
 * and the four Quarkus services as separate processes, each logging to {@code
 * <state>/logs/<service>.log}. {@code retort up}, {@code retort demo} and the integration tests
 * start it; {@code retort down} (or {@link #close()}) stops it.
 */
public final class LocalPlatform implements AutoCloseable {
  /** The services, in start order. */
  public static final List<String> SERVICES = List.of("loss", "evaluator", "teacher", "trainer");

  private final LocalStack stack;
  private final Path artifacts;
  private final String bootstrap;
  private final Map<String, Integer> ports;

  private LocalPlatform(LocalStack stack, Path artifacts, String bootstrap, Map<String, Integer> ports) {
    this.stack = stack;
    this.artifacts = artifacts;
    this.bootstrap = bootstrap;
    this.ports = ports;
  }

  /** Returns the broker's address. */
  public String bootstrap() {
    return bootstrap;
  }

  /** Returns the shared artifact store. */
  public Path artifacts() {
    return artifacts;
  }

  /** Returns each service's HTTP port. */
  public Map<String, Integer> ports() {
    return ports;
  }

  /** Returns the underlying process stack (crash tests kill and restart through it). */
  public LocalStack stack() {
    return stack;
  }

  /**
   * Starts the broker, creates the topics and starts the services; waits until every service is
   * ready.
   *
   * @param options where things go and how much memory and CPU they get
   * @return the running platform
   */
  public static LocalPlatform start(PlatformOptions options) {
    Path state = options.stateDir().toAbsolutePath().normalize();
    Path artifacts = options.artifacts().toAbsolutePath().normalize();
    try {
      Files.createDirectories(artifacts);
    } catch (java.io.IOException e) {
      throw new RetortException(artifacts.toString(), "cannot create the artifact store: " + e.getMessage(), "Check the path");
    }
    LocalStack stack = new LocalStack(state);
    for (String s : SERVICES) {
      Path jar = options.serviceJar(s);
      if (!Files.isRegularFile(jar)) {
        throw new RetortException(jar.toString(), "the " + s + " service is not built",
            "Build the project first: mvn -B -ntp install -DskipTests (the retort script does this)");
      }
    }
    KafkaBroker broker = stack.startKafka(new ProcessKafkaBroker(
        stack.kafkaSettings().optMessageMaxBytes(options.messageMaxBytes()).build()));
    String bootstrap = broker.bootstrapServers();
    TopicAdmin.ensure(bootstrap, Topics.specs(TopicSettings.builder().optMaxMessageBytes(options.messageMaxBytes()).build()));
    Map<String, Integer> ports = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (String s : SERVICES) {
        int n = options.replicas().getOrDefault(s, 1);
        for (int k = 1; k <= n; k++) {
          String name = k == 1 ? s : s + "-" + k;
          ServiceSpec spec = options.spec(s, name, bootstrap, artifacts);
          started.add(pool.submit(() -> {
            var p = stack.startService(spec);
            synchronized (ports) {
              ports.put(name, p.ports().values().stream().findFirst().orElse(-1));
            }
          }));
        }
      }
      for (Future<?> f : started) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      stack.stopAll();
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      stack.stopAll();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
    return new LocalPlatform(stack, artifacts, bootstrap, ports);
  }

  /**
   * Returns the artifact store of the platform that {@code retort up} keeps its state in {@code
   * stateDir}: the directory {@code artifacts} beside it.
   *
   * @param stateDir the platform's state directory
   * @return the store's directory
   */
  public static Path artifactsBeside(Path stateDir) {
    return stateDir.toAbsolutePath().normalize().resolveSibling("artifacts");
  }

  /**
   * Returns the broker address of a platform started by another process ({@code retort up}).
   *
   * @param stateDir the platform's state directory
   * @return the address, if a platform is running there
   */
  public static java.util.Optional<String> runningBootstrap(Path stateDir) {
    var state = new LocalStack(stateDir).state();
    return state.find(ProcessKafkaBroker.NAME)
        .filter(e -> e.liveProcess().isPresent())
        .map(e -> e.properties().get("kafka.bootstrap.servers"));
  }

  /** Stops everything this platform started, in reverse order. */
  @Override
  public void close() {
    stack.stopAll();
  }

  /** Waits a moment between checks. */
  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

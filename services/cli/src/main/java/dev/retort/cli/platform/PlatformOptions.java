package dev.retort.cli.platform;

import dev.retort.stack.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the local platform runs: where its state, logs and artifacts go, where the service jars are,
 * and how much heap and how many libtorch threads each service gets.
 *
 * @param repoRoot the repository (service jars are under {@code services/<name>/target/quarkus-app})
 * @param stateDir logs, broker data and the process table
 * @param artifacts the shared artifact store
 * @param dataRoots directories jobs may read data from
 * @param messageMaxBytes the broker's message limit (larger messages are chunked)
 * @param heaps each service's maximum heap, e.g. {@code 3g}
 * @param threads each service's libtorch intra-op threads
 * @param extraProperties system properties passed to every service
 * @param replicas how many processes of each service (default 1); replica k &gt; 1 is named
 *     {@code <service>-k}
 * @param teacherWorkers requests each teacher replica computes at once ({@code
 *     retort.teacher.workers}), each on {@code threads.teacher} threads
 */
public record PlatformOptions(
    Path repoRoot,
    Path stateDir,
    Path artifacts,
    List<Path> dataRoots,
    int messageMaxBytes,
    Map<String, String> heaps,
    Map<String, Integer> threads,
    Map<String, String> extraProperties,
    Map<String, Integer> replicas,
    int teacherWorkers) {

  /** The most teacher workers a replica takes ({@code TeacherConfig.MAX_WORKERS}). */
  public static final int MAX_TEACHER_WORKERS = 4;

  /** How much lower the teacher's CPU priority is than the trainer's and the loss service's. */
  static final int TEACHER_NICENESS = 5;

  /** How much lower the evaluator's CPU priority is than the trainer's (10 below the teacher's). */
  static final int EVALUATOR_NICENESS = 15;

  /** glibc's bound on its malloc arenas, set for every service (see {@link #spec}). */
  static final String MALLOC_ARENAS_ENV = "MALLOC_ARENA_MAX";

  /** The arenas each service's process may use. */
  static final String MALLOC_ARENAS = "2";

  /** Copies the collections. */
  public PlatformOptions {
    dataRoots = List.copyOf(dataRoots);
    heaps = Map.copyOf(heaps);
    threads = Map.copyOf(threads);
    extraProperties = Map.copyOf(extraProperties);
    replicas = Map.copyOf(replicas);
    if (teacherWorkers < 1 || teacherWorkers > MAX_TEACHER_WORKERS) {
      throw new IllegalArgumentException(
          "teacher workers " + teacherWorkers + ": must be between 1 and " + MAX_TEACHER_WORKERS);
    }
  }

  /** Returns a copy running {@code n} processes of a service. */
  public PlatformOptions withReplicas(String service, int n) {
    Map<String, Integer> r = new java.util.HashMap<>(replicas);
    r.put(service, n);
    return new PlatformOptions(repoRoot, stateDir, artifacts, dataRoots, messageMaxBytes, heaps, threads, extraProperties, r, teacherWorkers);
  }

  /**
   * Returns a copy with other libtorch thread counts for some services (the others keep theirs).
   *
   * @param counts intra-op threads per service name, each at least 1
   * @return the options
   * @throws IllegalArgumentException for a count below 1
   */
  public PlatformOptions withThreads(Map<String, Integer> counts) {
    Map<String, Integer> t = new java.util.HashMap<>(threads);
    counts.forEach(
        (service, n) -> {
          if (n < 1) {
            throw new IllegalArgumentException(service + " threads " + n + ": must be at least 1");
          }
          t.put(service, n);
        });
    return new PlatformOptions(repoRoot, stateDir, artifacts, dataRoots, messageMaxBytes, heaps, t, extraProperties, replicas, teacherWorkers);
  }

  /**
   * Returns a copy whose teacher replicas compute this many requests at once, each on {@code
   * threads.teacher} libtorch threads.
   *
   * @param workers 1 to {@value #MAX_TEACHER_WORKERS}
   * @return the options
   * @throws IllegalArgumentException outside that range
   */
  public PlatformOptions withTeacherWorkers(int workers) {
    return new PlatformOptions(repoRoot, stateDir, artifacts, dataRoots, messageMaxBytes, heaps, threads, extraProperties, replicas, workers);
  }

  /**
   * Whether the services that compute at the same time (every teacher worker and every trainer
   * replica) ask for more libtorch threads together than this machine has cores.
   */
  public boolean oversubscribed() {
    int computing =
        threads.getOrDefault("teacher", 1) * teacherWorkers * replicas.getOrDefault("teacher", 1)
            + threads.getOrDefault("trainer", 1) * replicas.getOrDefault("trainer", 1);
    return computing > Runtime.getRuntime().availableProcessors();
  }

  /**
   * The trainer's libtorch threads for the steps of a job the teacher computes nothing for ({@code
   * retort.trainer.replay-threads}): a student of a teacher pass already in the log leaves the
   * teacher's share of the cores idle, so the trainer replicas take all of them, split among
   * themselves, or keep their own count where that is more.
   */
  public int replayThreads() {
    int cores = Runtime.getRuntime().availableProcessors();
    int own = threads.getOrDefault("trainer", 1);
    return Math.max(own, cores / replicas.getOrDefault("trainer", 1));
  }

  /** Returns a copy with another broker message limit. */
  public PlatformOptions withMessageMaxBytes(int bytes) {
    return new PlatformOptions(repoRoot, stateDir, artifacts, dataRoots, bytes, heaps, threads, extraProperties, replicas, teacherWorkers);
  }

  /**
   * The defaults for this machine: state under {@code <repo>/.retort/stack}, artifacts under
   * {@code <repo>/.retort/artifacts}, the broker's default 1 MiB message limit, a teacher that
   * computes one request per core (up to {@value #MAX_TEACHER_WORKERS} workers, the cores split
   * among them), and libtorch threads for half the cores in the trainer, waiting passively.
   *
   * <p>Why: a BERT-base teacher's forward pass costs two to three times the student's whole step,
   * so the teacher needs the larger share of the cores, and it must take the cores the trainer
   * leaves idle while it waits. One forward pass on every core did that, but its threads meet at
   * a barrier after each op, and while the trainer computes the scheduler leaves one of them
   * waiting. Workers of one thread each need no barrier. Measured with {@code retort bench --only
   * platform-overhead} on two cores: 0.85 of the in-process rate with one teacher worker on two
   * threads; 0.70 with one worker on one thread; two workers of one thread each: see the bench
   * README.
   *
   * @param repoRoot the repository
   * @param dataRoots where jobs may read from
   * @return the options
   */
  public static PlatformOptions defaults(Path repoRoot, List<Path> dataRoots) {
    int cores = Runtime.getRuntime().availableProcessors();
    int half = Math.max(1, cores / 2);
    int workers = Math.min(MAX_TEACHER_WORKERS, cores);
    return new PlatformOptions(
        repoRoot,
        repoRoot.resolve(".retort").resolve("stack"),
        repoRoot.resolve(".retort").resolve("artifacts"),
        dataRoots,
        1024 * 1024,
        Map.of("teacher", "3g", "trainer", "4g", "loss", "1g", "evaluator", "2g"),
        Map.of("teacher", Math.max(1, cores / workers), "trainer", half, "loss", 1, "evaluator", 1),
        Map.of(),
        Map.of(),
        workers);
  }

  /** Returns a copy with another state directory and artifact store. */
  public PlatformOptions withDirs(Path state, Path store) {
    return new PlatformOptions(repoRoot, state, store, dataRoots, messageMaxBytes, heaps, threads, extraProperties, replicas, teacherWorkers);
  }

  /** Returns a copy with extra system properties for every service. */
  public PlatformOptions withProperties(Map<String, String> props) {
    return new PlatformOptions(repoRoot, stateDir, artifacts, dataRoots, messageMaxBytes, heaps, threads, props, replicas, teacherWorkers);
  }

  /** Returns a service's fast-jar. */
  public Path serviceJar(String service) {
    return repoRoot.resolve("services").resolve(service).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
  }

  /**
   * Returns how to start a service.
   *
   * @param service its name
   * @param bootstrap the broker
   * @param store the artifact store
   * @return the process specification
   */
  public ServiceSpec spec(String service, String bootstrap, Path store) {
    return spec(service, service, bootstrap, store);
  }

  /**
   * Returns how to start one replica of a service.
   *
   * @param service the service
   * @param name the process name ({@code teacher}, {@code teacher-2}, ...)
   * @param bootstrap the broker
   * @param store the artifact store
   * @return the process specification
   */
  public ServiceSpec spec(String service, String name, String bootstrap, Path store) {
    List<String> jvm = new ArrayList<>(List.of(
        "-Xmx" + heaps.getOrDefault(service, "2g"),
        "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=" + threads.getOrDefault(service, 1),
        "-Dai.djl.pytorch.num_interop_threads=1"));
    ServiceSpec.Builder b = ServiceSpec.builder()
        .setName(name)
        .setJar(serviceJar(service))
        .optJvmOptions(jvm.toArray(String[]::new))
        .optSystemProperty("kafka.bootstrap.servers", bootstrap)
        .optSystemProperty("retort.artifacts.root", store.toString())
        .optEnv("DJL_CACHE_DIR", repoRoot.resolve("target").resolve("djl-cache").toString())
        .optEnv("ENGINE_CACHE_DIR", repoRoot.resolve("target").resolve("djl-cache").toString())
        .optHttpPort(0)
        .optStartTimeout(Duration.ofMinutes(3));
    // glibc gives every thread that allocates its own malloc arena (up to 8 per core), and
    // libtorch's tensors of a few MB, freed into one thread's arena, stay resident there. On two
    // cores the teacher reached 10 GB (1 GB of it the JVM's own) and the kernel killed it beside
    // a two-thread trainer; with two arenas it peaks near 7 GB, at the same speed. The images set
    // the same (Dockerfile.jvm).
    b.optEnv(MALLOC_ARENAS_ENV, MALLOC_ARENAS);
    // libtorch's OpenMP threads spin at a barrier before they sleep. When the teacher and the
    // trainer together have more threads than cores, a spinning thread burns the core that the
    // other process needs; passive waiting hands it over, so whichever stage is busy gets both.
    if (oversubscribed()) {
      b.optEnv("OMP_WAIT_POLICY", "PASSIVE");
    }
    // The evaluator is off the training's critical path: it scores the teacher while the first
    // steps run, and snapshots while later ones do. On one machine it yields the cores to the
    // teacher and the trainer and takes what they leave idle (on Kubernetes it has its own).
    // The teacher yields to the trainer: with equal priorities its workers took two thirds of two
    // cores, ran up to the end of the lookahead window, and left the trainer's last steps to run
    // alone on one thread while the other core idled (3.5 idle core-seconds on average in a 16-step
    // job; 2.3 with the teacher at nice 5; bench README, "where the cores went"). The trainer uses
    // half the cores by default, so the teacher keeps the other half.
    if (service.equals("evaluator")) {
      b.optNiceness(EVALUATOR_NICENESS);
    } else if (service.equals("teacher")) {
      b.optNiceness(TEACHER_NICENESS);
    }
    // A stable name per replica: static group membership, and the source of events.
    b.optSystemProperty("retort." + service + ".instance-id", name);
    // Producers cut large messages into chunks below the broker's message limit.
    if (service.equals("teacher")) {
      b.optSystemProperty("retort.teacher.publishing.max-request-bytes", Integer.toString(messageMaxBytes));
      b.optSystemProperty("retort.teacher.workers", Integer.toString(teacherWorkers));
    } else if (service.equals("trainer")) {
      b.optSystemProperty("retort.trainer.kafka.max-chunk-bytes", Integer.toString(messageMaxBytes - messageMaxBytes / 16));
      b.optSystemProperty("retort.trainer.replay-threads", Integer.toString(replayThreads()));
    }
    // The trainer reads task data and so does the evaluator: both get the same data roots.
    List<String> roots = new ArrayList<>();
    dataRoots.forEach(p -> roots.add(p.toAbsolutePath().normalize().toString()));
    if (!roots.isEmpty() && service.equals("trainer")) {
      b.optSystemProperty("retort.trainer.data-roots", String.join(",", roots));
    } else if (!roots.isEmpty() && service.equals("evaluator")) {
      b.optSystemProperty("retort.artifacts.data-roots", String.join(",", roots));
    }
    extraProperties.forEach(b::optSystemProperty);
    return b.build();
  }
}

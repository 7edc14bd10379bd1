package dev.retort.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The student trainer's configuration, under {@code retort.trainer}. */
@ConfigMapping(prefix = "retort.trainer")
public interface TrainerConfig {

  /**
   * Directories jobs may read data and models from, besides the artifact store ({@code
   * retort.artifacts.root}). Paths in jobs that escape these roots are rejected. Empty: the artifact
   * store only.
   */
  Optional<List<String>> dataRoots();

  /** A name for this replica in events and logs (default: host name and process id). */
  Optional<String> instanceId();

  /** Jobs this replica runs at once; more requests wait in the topic (back-pressure). */
  @WithDefault("1")
  int maxConcurrentJobs();

  /**
   * libtorch threads for a job's steps while the teacher service computes nothing for the job:
   * every output it asked for is in the log (a student of a teacher pass another job computed, or
   * the last steps of a pass). Set it where the trainer shares its machine with the teacher
   * service and runs on fewer threads than cores so that the teacher keeps the rest (the local
   * platform sets the machine's cores); where the trainer has cores of its own (Kubernetes), leave
   * it unset: the steps keep {@code ai.djl.pytorch.num_threads}.
   */
  Optional<Integer> replayThreads();

  /** Resource limits: a job over a limit is rejected up front. */
  Limits limits();

  /** Kafka clients. */
  Kafka kafka();

  /** The Hugging Face Hub for {@code hf:} references. */
  Hub hub();

  /** Resource limits. */
  interface Limits {
    /** Longest task.max-length accepted. */
    @WithDefault("512")
    int maxSequenceLength();

    /** Largest batch-size accepted (teacher and student training). */
    @WithDefault("256")
    int maxBatchSize();

    /** Largest number of weights of any model of a job. */
    @WithDefault("400000000")
    long maxParameters();

    /** Most epochs accepted. */
    @WithDefault("100")
    int maxEpochs();
  }

  /** Kafka client settings. */
  interface Kafka {
    /** Consumer group of training requests: replicas share the queue of jobs. */
    @WithDefault("retort-trainer")
    String groupId();

    /** How long one poll waits. */
    @WithDefault("200ms")
    Duration pollTimeout();

    /** Largest chunk of a chunked message, in bytes (below the broker's message limit). */
    @WithDefault("983040")
    int maxChunkBytes();

    /**
     * Extra client properties passed through unchanged, e.g. {@code security.protocol}, {@code
     * ssl.*} and {@code sasl.*} for TLS and SASL. Values are redacted in logs.
     */
    Map<String, String> properties();
  }

  /** Hugging Face Hub access. */
  interface Hub {
    /** Whether {@code hf:} references may download. */
    @WithDefault("false")
    boolean enabled();

    /** The hub's base address. */
    @WithDefault("https://huggingface.co")
    String endpoint();
  }
}

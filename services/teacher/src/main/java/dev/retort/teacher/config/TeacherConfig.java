package dev.retort.teacher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import dev.retort.service.setup.TopicCreationConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the teacher-inference service, under {@code retort.teacher}.
 *
 * <p>Kafka's address and security are Quarkus's own {@code kafka.*} keys ({@code
 * kafka.bootstrap.servers}, {@code kafka.security.protocol}, {@code kafka.ssl.*}, {@code
 * kafka.sasl.*}); the artifact store is {@code retort.artifacts.root} ({@link ArtifactsConfig}).
 */
@ConfigMapping(prefix = "retort.teacher")
public interface TeacherConfig {
  /** The most workers {@link #workers()} may ask for (the channel's pool has twice as many). */
  int MAX_WORKERS = 4;

  /**
   * Requests computed at the same time (1 to {@value #MAX_WORKERS}); as many more may be publishing
   * their outputs. On a GPU keep 1. On CPUs, N workers with {@code cores / N} libtorch threads each
   * ({@code ai.djl.pytorch.num_threads}) keep the cores busy with fewer of libtorch's per-op
   * barriers; where the cores are shared with a trainer, one thread per worker is best (the local
   * platform's default). See {@code WorkerSlots}.
   */
  @WithDefault("1")
  int workers();

  /**
   * Checks {@link #workers()}.
   *
   * @param workers the configured value
   * @return it
   * @throws IllegalArgumentException if it is outside 1..{@value #MAX_WORKERS}
   */
  static int checkWorkers(int workers) {
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException("retort.teacher.workers is " + workers + "; it must be "
          + "between 1 and " + MAX_WORKERS + " (requests computed at the same time; give each "
          + "worker cores/N libtorch threads with ai.djl.pytorch.num_threads)");
    }
    return workers;
  }

  /**
   * Name of this replica in outputs ({@code computed_by}), dead letters and Kafka client ids;
   * default: the host name (the pod name on Kubernetes).
   */
  Optional<String> instanceId();

  /** Teacher models kept in memory. */
  Models models();

  /** What a request may ask for. */
  Limits limits();

  /** Publishing outputs and index entries. */
  Publishing publishing();

  /** The view of the teacher index that duplicate requests are checked against. */
  Index index();

  /** Dead letters. */
  DeadLetter deadLetter();

  /** Health checks. */
  Health health();

  /** Topic creation at start-up. */
  TopicCreationConfig topics();

  /** Teacher models kept in memory. */
  interface Models {
    /**
     * Most teachers kept loaded at once; the least recently used is dropped first. A BERT-base
     * teacher holds about 440 MB.
     */
    @WithDefault("2")
    int maxCached();

    /**
     * Seed of the fresh classification head a pretrained model reference gets (a {@code
     * checkpoint:} directory brings its own head). Trainers hand their teachers over as
     * directories, so this matters only for requests that name a pretrained model directly.
     */
    @WithDefault("42")
    long headSeed();

    /** Where tokenizers and downloads are cached; default: retort's cache directory. */
    Optional<String> cacheDir();
  }

  /** What a request may ask for. */
  interface Limits {
    /** Largest B x L of one request; larger requests are dead-lettered. */
    @WithDefault("65536")
    int maxBatchTokens();
  }

  /** Publishing outputs and index entries. */
  interface Publishing {
    /**
     * {@code max.request.size} of the output producer, in bytes; an output larger than one record
     * is sent in chunks cut below it. Must not exceed the topics' {@code max.message.bytes}.
     */
    @WithDefault("1048576")
    int maxRequestBytes();

    /**
     * How long sending one output and its index entry may take; a send not acknowledged in time is
     * a transient failure: the request is handled again ({@link #retries()}).
     */
    @WithDefault("120s")
    Duration timeout();

    /**
     * How often a request whose output, index entry or dead letter the broker did not take (a
     * timeout, a retriable error) is handled again before it is left uncommitted, to be delivered
     * again after a rebalance or a restart. A retry computes the output again.
     */
    @WithDefault("3")
    int retries();

    /** The wait before the first such retry, doubled before each further one. */
    @WithDefault("1s")
    Duration retryBackoff();
  }

  /** The view of the teacher index. */
  interface Index {
    /**
     * How long a request waits after start-up for the index view to read the entries already in
     * the log, so that outputs computed before a restart are not computed again.
     */
    @WithDefault("60s")
    Duration catchUpTimeout();

    /**
     * How long the first offsets of the output partitions are cached when checking that an
     * indexed output is still in the log (retention may have deleted it; then it is recomputed).
     */
    @WithDefault("10s")
    Duration retentionCheckCache();
  }

  /** Dead letters. */
  interface DeadLetter {
    /** Bytes of the original value kept in a dead letter. */
    @WithDefault("65536")
    int maxBytes();
  }

  /** Health checks. */
  interface Health {
    /** How long the readiness check waits for the broker to answer {@code describeCluster}. */
    @WithDefault("2s")
    Duration brokerTimeout();

    /** How long a broker answer (reachable or not) is reused before asking again. */
    @WithDefault("5s")
    Duration brokerCache();

    /** A request processed for longer than this makes the liveness check fail (a wedged loop). */
    @WithDefault("30m")
    Duration wedgedAfter();
  }

}

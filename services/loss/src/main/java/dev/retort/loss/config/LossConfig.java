package dev.retort.loss.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import dev.retort.service.setup.TopicCreationConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the loss service, under {@code retort.loss}.
 *
 * <p>Kafka's address and security are Quarkus's own {@code kafka.*} keys; the artifact store is
 * {@code retort.artifacts.root} ({@link ArtifactsConfig}).
 */
@ConfigMapping(prefix = "retort.loss")
public interface LossConfig {

  /**
   * Name of this replica in replies ({@code computed_by}), events, dead letters and Kafka client
   * ids; default: the host name (the pod name on Kubernetes).
   */
  Optional<String> instanceId();

  /** Per-job state. */
  State state();

  /** What a request may carry. */
  Limits limits();

  /** Publishing replies. */
  Publishing publishing();

  /** Dead letters. */
  DeadLetter deadLetter();

  /** Health checks. */
  Health health();

  /** Topic creation at start-up. */
  TopicCreationConfig topics();

  /** Per-job state, kept in memory and under {@code <root>/jobs/<job id>/loss/}. */
  interface State {
    /** EMD layer weights kept in {@code emd-history.json}, newest last. */
    @WithDefault("5")
    int emdHistory();

    /** Graph snapshots kept per job (trained HRKD graphs), the newest ones. */
    @WithDefault("3")
    int graphSnapshots();

    /**
     * Jobs whose graphs and metrics stay in memory; the least recently active is dropped first
     * (its state stays on disk and is reloaded on its next request).
     */
    @WithDefault("16")
    int activeJobs();
  }

  /** What a request may carry. */
  interface Limits {
    /** Largest number of elements of one matrix or tensor in a request. */
    @WithDefault("16777216")
    int maxElements();

    /**
     * Largest number of graph weights a job may ask for ({@code (M+1) * D * H * H} dominates);
     * each takes 16 bytes with its optimiser moments.
     */
    @WithDefault("67108864")
    long maxGraphWeights();
  }

  /** Publishing replies. */
  interface Publishing {
    /** How long sending a reply may take before it is given up (the trainer then times out). */
    @WithDefault("60s")
    Duration timeout();

    /**
     * How often a request whose reply or dead letter the broker did not take (a timeout, a
     * retriable error) is served again before it is left uncommitted, to be delivered again after
     * a rebalance or a restart.
     */
    @WithDefault("3")
    int retries();

    /** The wait before the first such retry, doubled before each further one. */
    @WithDefault("1s")
    Duration retryBackoff();
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
    @WithDefault("10m")
    Duration wedgedAfter();
  }

}

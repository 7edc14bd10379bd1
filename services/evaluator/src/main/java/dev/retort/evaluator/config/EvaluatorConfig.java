package dev.retort.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import dev.retort.service.setup.TopicCreationConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the evaluator service, under {@code retort.evaluator}.
 *
 * <p>Kafka's address and security are Quarkus's own {@code kafka.*} keys; the artifact store is
 * {@code retort.artifacts.root} ({@link ArtifactsConfig}).
 */
@ConfigMapping(prefix = "retort.evaluator")
public interface EvaluatorConfig {

  /**
   * Name of this replica in events, dead letters and Kafka client ids; default: the host name
   * (the pod name on Kubernetes).
   */
  Optional<String> instanceId();

  /** How checkpoints are scored. */
  Evaluation evaluation();

  /** Publishing results and events. */
  Publishing publishing();

  /** Dead letters. */
  DeadLetter deadLetter();

  /** Health checks. */
  Health health();

  /** Topic creation at start-up. */
  TopicCreationConfig topics();

  /** How checkpoints are scored. */
  interface Evaluation {
    /** Examples per forward pass on dev and test. */
    @WithDefault("64")
    int batchSize();

    /** Untimed batch-1 passes before latency is measured (the engine optimises per shape). */
    @WithDefault("3")
    int latencyWarmup();

    /** Timed batch-1 passes; the median is reported. Measured once per job and role. */
    @WithDefault("15")
    int latencyRuns();

    /** Jobs whose resolved data stays in memory between checkpoints. */
    @WithDefault("4")
    int cachedJobs();

    /** Jobs whose gauges stay in the registry; the least recently evaluated are dropped. */
    @WithDefault("50")
    int gaugedJobs();
  }

  /** Publishing results and events. */
  interface Publishing {
    /** How long sending a result or event may take. */
    @WithDefault("60s")
    Duration timeout();

    /**
     * How often an announcement whose results, events or dead letter the broker did not take (a
     * timeout, a retriable error) is handled again before it is left uncommitted, to be delivered
     * again after a rebalance or a restart. Its saved verdict is published; nothing is scored
     * twice.
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

    /**
     * A checkpoint evaluated for longer than this without progress makes the liveness check fail
     * (a wedged loop); evaluation reports progress after every batch and stage, so this bounds
     * one batch or stage (loading, exporting), not a whole final evaluation. An announcement left
     * uncommitted after transient failures fails it after this long too (the restart delivers it
     * again).
     */
    @WithDefault("60m")
    Duration wedgedAfter();
  }

}

package dev.retort.bench.platform;

import dev.retort.core.job.ConfigValues;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Runs jobs on the Kafka services for the platform figures. The command line implements it with its
 * local platform (a Kafka broker and the four services as processes on this machine); the figures
 * only see this interface.
 */
public interface PlatformHarness extends AutoCloseable {

  /**
   * Returns why the platform cannot run here, e.g. {@code services not built}, or empty.
   *
   * @return the reason, if any
   */
  Optional<String> unavailable();

  /**
   * Returns the directory jobs on the platform may read data from (the sample data goes there).
   *
   * @return a data root of the trainer and evaluator services
   */
  java.nio.file.Path dataDir();

  /**
   * Submits jobs at once (starting the platform on first use) and waits until each has ended.
   *
   * @param jobs job id to job
   * @param timeout the longest wait for the whole set
   * @return each job's run, in the map's order, and the set's wall time
   * @throws Exception if the platform cannot be started or reached
   */
  Submission submitTogether(Map<String, ConfigValues> jobs, Duration timeout) throws Exception;

  /** Stops what the harness started. */
  @Override
  void close();
}

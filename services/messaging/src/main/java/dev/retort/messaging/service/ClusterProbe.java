package dev.retort.messaging.service;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Whether the Kafka cluster answers: {@code describeCluster} with a short timeout, the answer
 * reused for a while so probes do not load the broker.
 */
public final class ClusterProbe {
  private final Supplier<Admin> admin;
  private final Duration timeout;
  private final Duration cacheFor;
  private long checkedAt;
  private String problem = "not checked yet";
  private boolean checked;

  /**
   * Creates the probe.
   *
   * @param admin returns the admin client to ask (called at each check that is not cached; the
   *     probe does not close it)
   * @param timeout how long {@code describeCluster} may take
   * @param cacheFor how long an answer is reused
   */
  public ClusterProbe(Supplier<Admin> admin, Duration timeout, Duration cacheFor) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.cacheFor = Objects.requireNonNull(cacheFor, "cacheFor");
  }

  /** Returns why the cluster is not reachable, or null when it is. */
  public synchronized String problem() {
    long now = System.nanoTime();
    if (checked && now - checkedAt < cacheFor.toNanos()) {
      return problem;
    }
    try {
      int nodes = admin.get().describeCluster().nodes()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      problem = nodes > 0 ? null : "the cluster reports no brokers";
    } catch (ExecutionException e) {
      problem = "describeCluster failed: " + e.getCause();
    } catch (TimeoutException e) {
      problem = "no answer to describeCluster within " + timeout.toMillis() + " ms";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    } catch (RuntimeException e) {
      problem = e.toString();
    }
    checked = true;
    checkedAt = now;
    return problem;
  }
}

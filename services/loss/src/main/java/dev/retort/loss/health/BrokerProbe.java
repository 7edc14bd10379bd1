package dev.retort.loss.health;

import dev.retort.loss.config.LossConfig;
import dev.retort.loss.messaging.AdminAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the Kafka cluster answers: {@code describeCluster} with a short timeout, the answer
 * reused for a few seconds so probes do not load the broker.
 */
@ApplicationScoped
public class BrokerProbe {
  private final AdminAccess admin;
  private final Duration timeout;
  private final Duration cacheFor;
  private long checkedAt;
  private String problem = "not checked yet";
  private boolean checked;

  /**
   * Creates the probe.
   *
   * @param admin the admin client
   * @param config the service settings
   */
  @Inject
  public BrokerProbe(AdminAccess admin, LossConfig config) {
    this.admin = admin;
    this.timeout = config.health().brokerTimeout();
    this.cacheFor = config.health().brokerCache();
  }

  /** Returns why the cluster is not reachable, or null when it is. */
  public synchronized String problem() {
    long now = System.nanoTime();
    if (checked && now - checkedAt < cacheFor.toNanos()) {
      return problem;
    }
    try {
      int nodes = admin.admin().describeCluster().nodes()
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

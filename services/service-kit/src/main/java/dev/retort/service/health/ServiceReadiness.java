package dev.retort.service.health;

import dev.retort.messaging.service.ClusterProbe;
import dev.retort.messaging.service.ReadinessChecks;
import dev.retort.service.kafka.AdminAccess;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * A service's readiness check: up, or down with one data entry per problem of its {@link
 * ReadinessChecks}, in the order the checks were added.
 *
 * <p>Each service declares a one-constructor {@code @Readiness} bean that extends this class with
 * its name and its checks. The bean is {@code @Singleton}: a client proxy would need a
 * no-arguments constructor, which this class does not have.
 */
public abstract class ServiceReadiness implements HealthCheck {
  private final String name;
  private final ReadinessChecks checks;

  /**
   * Creates the check.
   *
   * @param name the check's name in the health response, e.g. {@code loss}
   * @param checks what keeps the service from being ready
   */
  protected ServiceReadiness(String name, ReadinessChecks checks) {
    this.name = Objects.requireNonNull(name, "name");
    this.checks = Objects.requireNonNull(checks, "checks");
  }

  /**
   * Returns the {@code broker} check's probe: {@code describeCluster} with a short timeout, the
   * answer reused for a few seconds so probes do not load the broker ({@link ClusterProbe}).
   *
   * @param admin the service's admin client
   * @param timeout how long {@code describeCluster} may take
   * @param cacheFor how long an answer is reused
   * @return why the cluster is not reachable, or null when it is
   */
  protected static Supplier<String> brokerProbe(AdminAccess admin, Duration timeout,
      Duration cacheFor) {
    return new ClusterProbe(admin::admin, timeout, cacheFor)::problem;
  }

  /** {@inheritDoc} */
  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named(name).up();
    checks.problems().forEach((check, problem) -> b.down().withData(check, problem));
    return b.build();
  }
}

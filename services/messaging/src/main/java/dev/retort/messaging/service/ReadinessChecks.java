package dev.retort.messaging.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A service's readiness as named problems: each check returns what keeps the service from being
 * ready, or null when it is fine. The service's health bean reports the service down with one
 * data entry per problem, in the order the checks were added.
 */
public final class ReadinessChecks {
  private final List<Check> checks;

  /** One named check. */
  private record Check(String name, Supplier<String> problem) {}

  private ReadinessChecks(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every check, in order.
   *
   * @return check name to problem, in the order the checks were added; empty when ready
   */
  public Map<String, String> problems() {
    Map<String, String> problems = new LinkedHashMap<>();
    for (Check c : checks) {
      String problem = c.problem().get();
      if (problem != null) {
        problems.put(c.name(), problem);
      }
    }
    return problems;
  }

  /**
   * Returns why job state cannot be kept under an artifact store: its {@code jobs/} directory
   * cannot be created or is not writable; null when it is fine.
   *
   * @param root the artifact store's root
   * @return the problem, or null
   */
  public static String jobsDirectoryProblem(Path root) {
    try {
      if (!Files.isWritable(Files.createDirectories(root.resolve("jobs")))) {
        return root + "/jobs is not writable";
      }
    } catch (IOException e) {
      return "cannot create " + root + "/jobs: " + e;
    }
    return null;
  }

  /** Builds {@link ReadinessChecks}; at least one check is required, names are unique. */
  public static final class Builder {
    private final List<Check> checks = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a check.
     *
     * @param name the data key of its problem, e.g. {@code broker}
     * @param problem returns the problem, or null when the check passes
     * @return this builder
     */
    public Builder add(String name, Supplier<String> problem) {
      checks.add(new Check(Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(problem, "problem")));
      return this;
    }

    /**
     * Adds check {@code broker}: the cluster answers.
     *
     * @param problem the broker probe, e.g. {@link ClusterProbe#problem}
     * @return this builder
     */
    public Builder addBroker(Supplier<String> problem) {
      return add("broker", problem);
    }

    /**
     * Adds check {@code engine}: the engine is loaded; while it is not, the problem is its load
     * error, or {@code loading}.
     *
     * @param loaded whether the engine is loaded
     * @param error why loading failed, or null while it is still loading
     * @return this builder
     */
    public Builder addEngine(BooleanSupplier loaded, Supplier<String> error) {
      return add("engine", () -> {
        if (loaded.getAsBoolean()) {
          return null;
        }
        String e = error.get();
        return e == null ? "loading" : e;
      });
    }

    /**
     * Adds check {@code topics}: topic creation is done ({@link TopicCreation#done}).
     *
     * @param done whether the topics exist
     * @return this builder
     */
    public Builder addTopics(BooleanSupplier done) {
      return add("topics", () -> done.getAsBoolean() ? null : "creating the topics");
    }

    /**
     * Adds check {@code artifacts}: job state can be kept ({@link #jobsDirectoryProblem}).
     *
     * @param root returns the artifact store's root
     * @return this builder
     */
    public Builder addJobsDirectory(Supplier<Path> root) {
      return add("artifacts", () -> jobsDirectoryProblem(root.get()));
    }

    /** Validates and returns the checks. */
    public ReadinessChecks build() {
      if (checks.isEmpty()) {
        throw new IllegalArgumentException("You must add at least one check");
      }
      if (checks.stream().map(Check::name).distinct().count() != checks.size()) {
        throw new IllegalArgumentException("Check names must be unique: "
            + checks.stream().map(Check::name).toList());
      }
      return new ReadinessChecks(checks);
    }
  }
}

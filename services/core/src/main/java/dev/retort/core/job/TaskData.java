package dev.retort.core.job;

import dev.retort.core.data.Dataset;
import dev.retort.core.data.LabelMap;
import dev.retort.core.data.MultiDomainData;
import dev.retort.core.data.TaskType;
import dev.retort.core.metrics.TaskMetric;
import java.util.List;

/**
 * A job's data, resolved from its {@code task} section: the splits, labels, metric and domains.
 *
 * <p>Single-domain methods train on {@code train} (all selected domains together, one head);
 * multi-domain methods (HRKD) use {@code multiDomain}, one split set per domain.
 *
 * @param name a display name ("sample", "SST-2", ...)
 * @param taskType classification or regression
 * @param labels the label map (empty for regression)
 * @param metric what is reported and selected by
 * @param domains the domains in id order (one "default" domain for single-domain data)
 * @param train training examples of all domains
 * @param dev dev examples of all domains
 * @param test test examples of all domains (possibly unlabelled or empty)
 * @param multiDomain the per-domain splits, or null for single-domain data
 * @param fingerprint a hash of every example, so that teacher passes are shared only on identical data
 */
public record TaskData(
    String name,
    TaskType taskType,
    LabelMap labels,
    TaskMetric metric,
    List<String> domains,
    Dataset train,
    Dataset dev,
    Dataset test,
    MultiDomainData multiDomain,
    String fingerprint) {

  /** Copies the domain list. */
  public TaskData {
    domains = List.copyOf(domains);
  }

  /** Returns whether the task is regression. */
  public boolean regression() {
    return taskType == TaskType.REGRESSION;
  }

  /** Returns C (1 for regression). */
  public int numLabels() {
    return regression() ? 1 : labels.size();
  }
}

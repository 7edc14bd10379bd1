package dev.retort.core.model;

import dev.retort.core.RetortException;
import java.util.List;

/**
 * The prediction head of a sequence model.
 *
 * @param numLabels C; 1 for regression
 * @param regression whether the head predicts one real value (STS-B) instead of class logits
 * @param domains domain names, one classifier each; a single-element list for an ordinary model
 * @param pooledActivation what sits between pooler and classifier
 * @param classifierDropout dropout on the pooled output (ignored with {@link PooledActivation#RELU})
 */
public record HeadConfig(
    int numLabels,
    boolean regression,
    List<String> domains,
    PooledActivation pooledActivation,
    float classifierDropout) {

  /** Validates the head. */
  public HeadConfig {
    domains = List.copyOf(domains);
    if (numLabels < 1) {
      throw new RetortException("head", "num_labels must be at least 1, got " + numLabels, "Set the labels of the task");
    }
    if (regression && numLabels != 1) {
      throw new RetortException("head", "a regression head has exactly one output, got " + numLabels, "Use num_labels 1");
    }
    if (domains.isEmpty()) {
      throw new RetortException("head", "at least one domain is needed", "Use a single domain for ordinary models");
    }
    if (domains.stream().distinct().count() != domains.size()) {
      throw new RetortException("head", "duplicate domain names " + domains, "Give every domain a distinct name");
    }
  }

  /** A single-domain classifier over {@code numLabels} classes with Hugging Face's dropout 0.1. */
  public static HeadConfig forClassification(int numLabels) {
    return new HeadConfig(numLabels, false, List.of("default"), PooledActivation.NONE, 0.1f);
  }

  /** A single-domain regression head. */
  public static HeadConfig forRegression() {
    return new HeadConfig(1, true, List.of("default"), PooledActivation.NONE, 0.1f);
  }

  /** Returns a copy with one classifier per domain. */
  public HeadConfig withDomains(List<String> names) {
    return new HeadConfig(numLabels, regression, names, pooledActivation, classifierDropout);
  }

  /** Returns a copy with another pooled activation. */
  public HeadConfig withPooledActivation(PooledActivation a) {
    return new HeadConfig(numLabels, regression, domains, a, classifierDropout);
  }

  /** Returns whether the model has one classifier per domain. */
  public boolean multiDomain() {
    return domains.size() > 1;
  }

  /** Returns the index of a domain, or throws naming the known ones. */
  public int domainIndex(String domain) {
    int i = domains.indexOf(domain);
    if (i < 0) {
      throw new RetortException("domain '" + domain + "'", "the model has no head for it", "Known domains: " + domains);
    }
    return i;
  }
}

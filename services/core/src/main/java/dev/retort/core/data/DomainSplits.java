package dev.retort.core.data;

import java.util.Objects;

/**
 * The train, dev and test sets of one domain.
 *
 * @param domain the domain name
 * @param train the training set
 * @param dev the development set (model selection)
 * @param test the test set
 */
public record DomainSplits(String domain, Dataset train, Dataset dev, Dataset test) {
  /** Checks that nothing is null. */
  public DomainSplits {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(dev, "dev");
    Objects.requireNonNull(test, "test");
  }
}

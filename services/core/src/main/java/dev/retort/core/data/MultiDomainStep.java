package dev.retort.core.data;

import java.util.List;

/**
 * One training step of multi-domain training: one batch of b examples from every domain.
 *
 * @param epoch the epoch
 * @param index the step within the epoch
 * @param batches one batch per domain, in domain-id order; each padded to its own bucket
 */
public record MultiDomainStep(int epoch, int index, List<Batch> batches) {
  /** Copies the list. */
  public MultiDomainStep {
    batches = List.copyOf(batches);
  }

  /** Returns the batch of a domain. */
  public Batch domain(int domainId) {
    return batches.get(domainId);
  }
}
